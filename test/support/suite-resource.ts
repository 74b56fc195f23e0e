import { afterAll, beforeAll } from 'vitest';

/** Something a suite's tests share, made once before them. */
export interface SuiteResource<T> {
  /** the value; only inside tests and hooks, since it is made in `beforeAll` */
  readonly current: T;
}

/**
 * Makes a value in `beforeAll` of the calling file or describe block and disposes of it in
 * `afterAll` (also when a later `beforeAll` failed), so a suite does not repeat that hook pair.
 */
export function suiteResource<T>(
  label: string,
  create: () => Promise<T> | T,
  dispose: (value: T) => Promise<unknown> | unknown,
): SuiteResource<T> {
  let made: { value: T } | undefined;
  beforeAll(async () => {
    made = { value: await create() };
  });
  afterAll(async () => {
    if (made) await dispose(made.value);
  });
  return {
    get current() {
      if (!made) throw new Error(`${label} read before its beforeAll ran`);
      return made.value;
    },
  };
}

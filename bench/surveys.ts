// Surveys benchmark: (1) psychometrics on a simulated 2,800 × 25 five-factor data set (the size of
// R psych's `bfi` data set): alpha computed two independent ways in this project, plus numpy when
// python3 is installed and R's psych::alpha when Rscript and psych are (Debian r-cran-psych); (2) k-means++ on snsdata (30,000 × 36 interests,
// ages cleaned) for k = 2..10 with silhouette on a sample; (3) SurveyRunner throughput through a
// real database. Reads ../shared/data (benchmarks may; the product may not).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import {
  SurveyRunner,
  alphaFromVariances,
  cronbachAlpha,
  reverseKey,
  segmentKMeans,
  simulateFactorData,
  type KMeansSegmentation,
} from '../surveys/index.js';
import { createTestDatabase } from '../test/support/db.js';
import { PrismaSurveyStore, seedDemoSurveys } from '../prisma/repositories/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SNS = join(repoRoot, '..', 'shared', 'data', 'segments', 'snsdata.csv');
const log = (msg: string) => process.stderr.write(`[bench surveys] ${msg}\n`);
const seconds = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(3));
// CPU time of this process: on a shared, oversubscribed machine it says more than wall time.
const cpuSeconds = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return Number(((c.user + c.system) / 1e6).toFixed(3));
};

function psychometrics() {
  const sim = simulateFactorData({
    respondents: 2800,
    factors: 5,
    itemsPerFactor: 5,
    min: 1,
    max: 6,
    loading: 0.62,
    reverseEvery: 3,
    missing: 0.01,
    seed: 2800,
  });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const scales = [0, 1, 2, 3, 4].map((f) => {
    const cols = sim.items.map((it, j) => ({ ...it, j })).filter((it) => it.factor === f);
    const rows = sim.rows
      .filter((r) => cols.every((c) => !Number.isNaN(r[c.j]!)))
      .map((r) => cols.map((c) => (c.reverse ? reverseKey(r[c.j]!, 1, 6) : r[c.j]!)));
    const cov = cronbachAlpha(
      rows,
      cols.map((c) => c.name),
    );
    const variance = alphaFromVariances(rows);
    return {
      scale: `F${f + 1}`,
      items: cols.map((c) => (c.reverse ? `-${c.name}` : c.name)),
      n: cov.n,
      alphaCovariance: cov.alpha,
      alphaVariance: variance,
      difference: Math.abs(cov.alpha - variance),
      stdAlpha: cov.stdAlpha,
    };
  });
  const elapsed = seconds(t0);
  return { sim, scales, seconds: elapsed, cpuSeconds: cpuSeconds(c0) };
}

/** Writes the simulated items as CSV (NaN for missing) for the external checks below. */
function writeItemsCsv(sim: ReturnType<typeof simulateFactorData>): string {
  const csv = join(mkdtempSync(join(tmpdir(), 'bench-surveys-')), 'items.csv');
  writeFileSync(
    csv,
    [
      sim.items.map((i) => i.name).join(','),
      ...sim.rows.map((r) => r.map((v) => (Number.isNaN(v) ? 'NaN' : v)).join(',')),
    ].join('\n'),
  );
  return csv;
}

// Independent implementations when installed: numpy's covariance, and R's psych::alpha (the
// reference the issue names; Debian: apt-get install r-base-core r-cran-psych), each on the same
// listwise rows with reverse-keyed items flipped on the 1..6 scale.
const EXTERNAL_CHECKS = {
  numpy: {
    command: 'python3',
    flag: '-c',
    script: `
import json, sys, numpy as np
X = np.genfromtxt(sys.argv[1], delimiter=',', names=True)
out = []
for items in [scale.split(',') for scale in sys.argv[2].split(';')]:
    cols = [np.array(X[i.lstrip('-')], float) for i in items]
    cols = [7 - c if i.startswith('-') else c for c, i in zip(cols, items)]
    M = np.column_stack(cols); M = M[~np.isnan(M).any(axis=1)]
    C = np.cov(M, rowvar=False); k = M.shape[1]
    out.append(k / (k - 1) * (1 - np.trace(C) / C.sum()))
print(json.dumps(out))`,
  },
  psych: {
    command: 'Rscript',
    flag: '-e',
    script: `
suppressMessages(library(psych)); a <- commandArgs(trailingOnly = TRUE)
X <- read.csv(a[1]); scales <- strsplit(strsplit(a[2], ";")[[1]], ",")
out <- sapply(scales, function(items) {
  M <- sapply(items, function(i) { v <- X[[sub("^-", "", i)]]; if (startsWith(i, "-")) 7 - v else v })
  M <- M[complete.cases(M), ]
  psych::alpha(M, check.keys = FALSE, warnings = FALSE)$total$raw_alpha
})
cat(sprintf("[%s]", paste(sprintf("%.17g", out), collapse = ",")))`,
  },
} as const;

function externalAlpha(
  tool: keyof typeof EXTERNAL_CHECKS,
  csv: string,
  scales: { items: string[] }[],
): number[] | string {
  const check = EXTERNAL_CHECKS[tool];
  // Scales as "A1,A2,-A3;B1,B2": one argument both scripts split the same way.
  const scaleArg = scales.map((s) => s.items.join(',')).join(';');
  try {
    const args = [check.flag, check.script, csv, scaleArg];
    return JSON.parse(
      execFileSync(check.command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ) as number[];
  } catch {
    return `skipped: ${check.command} with ${tool} not available`;
  }
}

// Lantz ch. 9: ages outside 13–20 are errors (NA), then imputed with the mean age of the graduation year.
function loadSns() {
  const recs = parse(readFileSync(SNS), { columns: true }) as Record<string, string>[];
  const interests = Object.keys(recs[0]!).slice(4);
  const ages = recs.map((r) => {
    const a = Number(r.age);
    return r.age === 'NA' || !(a >= 13 && a < 20) ? NaN : a;
  });
  const byYear = new Map<string, { s: number; n: number }>();
  recs.forEach((r, i) => {
    if (Number.isNaN(ages[i]!)) return;
    const y = byYear.get(r.gradyear!) ?? { s: 0, n: 0 };
    y.s += ages[i]!;
    y.n++;
    byYear.set(r.gradyear!, y);
  });
  const missingAges = ages.filter(Number.isNaN).length;
  const cleanAges = ages.map((a, i) =>
    Number.isNaN(a) ? byYear.get(recs[i]!.gradyear!)!.s / byYear.get(recs[i]!.gradyear!)!.n : a,
  );
  return {
    recs,
    interests,
    rows: recs.map((r) => interests.map((f) => Number(r[f]))),
    ages: cleanAges,
    missingAges,
  };
}

function describe(seg: KMeansSegmentation, sns: ReturnType<typeof loadSns>) {
  return seg.segments.map((g) => {
    const members = sns.recs.map((_, i) => i).filter((i) => seg.labels[i] === g.segment);
    const mean = (f: (i: number) => number) => members.reduce((s, i) => s + f(i), 0) / members.length;
    return {
      segment: g.segment,
      size: g.size,
      share: Number(g.share.toFixed(4)),
      meanAge: Number(mean((i) => sns.ages[i]!).toFixed(2)),
      femaleShare: Number(mean((i) => (sns.recs[i]!.gender === 'F' ? 1 : 0)).toFixed(3)),
      meanFriends: Number(mean((i) => Number(sns.recs[i]!.friends)).toFixed(1)),
      overIndexes: g.topFeatures.map((t) => `${t.feature} (z ${t.z.toFixed(2)})`),
    };
  });
}

// Statements sent to the database, counted at the drivers (pg's Client.query, PGlite's
// query/exec/transaction): every call is one round trip to PostgreSQL (or one call into PGlite).
const statements = { count: 0 };
function countStatements(): void {
  const wrap = (proto: object, method: string) => {
    const target = proto as Record<string, (...args: unknown[]) => unknown>;
    const original = target[method]!;
    target[method] = function (this: unknown, ...args: unknown[]) {
      statements.count++;
      return original.apply(this, args);
    };
  };
  wrap(pg.Client.prototype, 'query');
  for (const m of ['query', 'exec', 'transaction']) wrap(PGlite.prototype, m);
}

async function runnerThroughput(kind: 'postgres' | 'pglite', respondents: number) {
  const db = await createTestDatabase(kind);
  try {
    await seedDemoSurveys(db.prisma);
    const runner = new SurveyRunner({ store: new PrismaSurveyStore(db.prisma) });
    const customers = await Promise.all(
      Array.from({ length: respondents }, () => db.prisma.customer.create({ data: {} })),
    );
    const answers = [
      'very accurate',
      '4',
      'not really',
      '👍',
      'two',
      'strongly agree',
      '3',
      'neutral',
      'moderately accurate',
      '1',
    ];
    const latencies: number[] = [];
    let roundTrips = 0;
    let replyCpuMs = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const [n, c] of customers.entries()) {
      await runner.start(c.id, 'mini-ipip-20', 'webchat');
      await runner.reply(c.id, 'mini-ipip-20', 'yes', 'webchat');
      for (let i = 0; i < 20; i++) {
        const before = statements.count;
        const cpu0 = process.cpuUsage();
        const t = performance.now();
        await runner.reply(c.id, 'mini-ipip-20', answers[(i + n) % answers.length]!, 'webchat');
        latencies.push(performance.now() - t);
        const used = process.cpuUsage(cpu0);
        replyCpuMs += (used.user + used.system) / 1000;
        roundTrips += statements.count - before;
      }
    }
    const total = seconds(t0);
    const cpu = cpuSeconds(c0);
    latencies.sort((a, b) => a - b);
    const q = (p: number) =>
      Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2));
    const stored = await db.prisma.answer.count();
    return {
      database: kind,
      respondents,
      answers: latencies.length,
      stored,
      roundTripsPerAnswer: roundTrips / latencies.length,
      seconds: total,
      nodeCpuMsPerAnswer: Number((replyCpuMs / latencies.length).toFixed(2)),
      nodeCpuMsPerRespondentIncludingStart: Number(((1000 * cpu) / respondents).toFixed(1)),
      answersPerSecond: Number((latencies.length / (latencies.reduce((a, b) => a + b, 0) / 1000)).toFixed(1)),
      p50ms: q(0.5),
      p95ms: q(0.95),
      p99ms: q(0.99),
      p95Target: 20,
    };
  } finally {
    await db.close();
  }
}

/** `npm run bench -- surveys [--quick]`. */
export default async function (args: string[]): Promise<object> {
  const quick = args.includes('--quick');
  log('psychometrics: 2,800 × 25 simulated, 5 scales');
  const p = psychometrics();
  const csv = writeItemsCsv(p.sim);
  const numpy = externalAlpha('numpy', csv, p.scales);
  const psych = externalAlpha('psych', csv, p.scales);
  log('k-means: snsdata 30,000 × 36, k = 2..10');
  const sns = loadSns();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const best = segmentKMeans(sns.rows, sns.interests, {
    k: { min: 2, max: 10 },
    seed: 1,
    silhouetteSample: 2000,
  });
  const kmeansSeconds = seconds(t0);
  const kmeansCpu = cpuSeconds(c0);
  const t5 = performance.now();
  const five = segmentKMeans(sns.rows, sns.interests, { k: 5, seed: 1, silhouetteSample: 2000 });
  const fiveSeconds = seconds(t5);
  log('runner throughput through the database');
  countStatements();
  const throughput = [
    await runnerThroughput('postgres', quick ? 10 : 50),
    await runnerThroughput('pglite', quick ? 5 : 20),
  ];
  return {
    psychometrics: {
      data: '2,800 respondents × 25 items (5 factors × 5 items, 1..6, one reverse-worded item per factor, 1 % missing), seeded simulation',
      seconds: p.seconds,
      cpuSeconds: p.cpuSeconds,
      scales: p.scales.map((s, i) => ({
        ...s,
        alphaNumpy: Array.isArray(numpy) ? numpy[i] : numpy,
        numpyDifference: Array.isArray(numpy) ? Math.abs(numpy[i]! - s.alphaCovariance) : null,
        alphaPsych: Array.isArray(psych) ? psych[i] : psych,
        psychDifference: Array.isArray(psych) ? Math.abs(psych[i]! - s.alphaCovariance) : null,
      })),
      maxDifferenceBetweenMethods: Math.max(...p.scales.map((s) => s.difference)),
    },
    kmeans: {
      data: `snsdata.csv ${sns.rows.length} × ${sns.interests.length} interests (z-scored); ${sns.missingAges} ages NA or outside 13–20, imputed by graduation-year mean (for the segment descriptions)`,
      kRange: '2..10',
      secondsAllK: kmeansSeconds,
      cpuSecondsAllK: kmeansCpu,
      target: '≤ 5 s',
      silhouetteSample: 2000,
      candidates: best.candidates.map((c) => ({
        k: c.k,
        silhouette: Number(c.silhouette.toFixed(4)),
        inertia: Math.round(c.inertia),
      })),
      chosenK: best.k,
      chosenSegments: describe(best, sns),
      lantzK5: {
        seconds: fiveSeconds,
        silhouette: Number(five.silhouette.toFixed(4)),
        segments: describe(five, sns),
      },
    },
    runner: throughput,
    machine: {
      cpus: (await import('node:os')).cpus().length,
      loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))),
    },
  };
}

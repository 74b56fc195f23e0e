// report.render: a survey's results rendered to a file under DATA_DIR/reports in the background
// (queued by POST /api/admin/v1/reports). Charts of large instruments take seconds, so a request
// does not wait for them; the job's result names the file.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { UnrecoverableJobError } from '../jobs/index.js';
import { loadInstrumentResponses, type TextCipher } from '../prisma/repositories/index.js';
import {
  instrumentReportSpec,
  renderChart,
  reportSummary,
  responsesCsv,
  SurveyError,
} from '../surveys/index.js';
import type { ServerDatabase } from './database.js';

/** The reports this version renders (the payload's `report`). */
export const REPORTS = ['survey'] as const;

/** What one render produced. */
export interface RenderedReport {
  file: string;
  bytes: number;
  sessions: number;
  completed: number;
}

/** The processor of report.render. */
export function reportRenderProcessor(deps: {
  db: Pick<ServerDatabase, 'prisma'>;
  dataDir: string;
  /** decrypts free-text answers for the CSV */
  answers: TextCipher;
  logger: Pick<Logger, 'info'>;
}): (
  payload: { report: string; format: 'svg' | 'png' | 'csv' | 'json'; params: Record<string, unknown> },
  job?: { id: string },
) => Promise<RenderedReport> {
  return async (payload, job) => {
    // A wrong report or instrument will not get better with retries.
    if (payload.report !== 'survey')
      throw new UnrecoverableJobError(`unknown report "${payload.report}" (known: ${REPORTS.join(', ')})`);
    const instrument = payload.params.instrument;
    if (typeof instrument !== 'string' || !/^[\w.-]{1,100}$/.test(instrument))
      throw new UnrecoverableJobError('the survey report needs params.instrument, an instrument id');
    const data = await loadInstrumentResponses(deps.db.prisma, instrument, deps.answers).catch(
      (error: unknown) => {
        if (error instanceof SurveyError) throw new UnrecoverableJobError(error.message, { cause: error });
        throw error;
      },
    );
    const summary = reportSummary(data);
    let content: string | Uint8Array;
    if (payload.format === 'csv') content = responsesCsv(data);
    else if (payload.format === 'json') content = `${JSON.stringify(summary, null, 2)}\n`;
    else {
      const spec = instrumentReportSpec(data);
      if (!spec) throw new UnrecoverableJobError(`no answers to chart for "${instrument}" yet`);
      const chart = await renderChart(spec, { format: payload.format });
      content = chart.png ?? chart.svg ?? '';
    }
    const dir = join(deps.dataDir, 'reports');
    await mkdir(dir, { recursive: true });
    // The job id keeps two renders of one instrument apart; a retry of the same job overwrites.
    const name = `${instrument}-${(job?.id ?? String(Date.now())).replace(/[^\w.-]+/g, '_')}.${payload.format}`;
    const file = join(dir, name);
    await writeFile(file, content);
    const bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
    deps.logger.info({ report: payload.report, file, bytes }, 'report rendered');
    return { file, bytes, sessions: summary.sessions, completed: summary.completed };
  };
}

import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { importCatalog, type CatalogSink } from '../../recsys/catalog-import.js';
import { ZProductRow, type ProductRow } from '../../recsys/catalog-schema.js';
import { RecsysError } from '../../recsys/errors.js';
import { streamJsonArray } from '../../recsys/json-array-stream.js';
import { suiteTempDir } from '../support/temp-dir.js';

/** An in-memory sink: the import core's contract is exercised here; the database sink in prisma-store.test.ts. */
function memorySink(failSku?: string): CatalogSink & { rows: Map<string, ProductRow>; calls: number } {
  const rows = new Map<string, ProductRow>();
  const sink = {
    rows,
    calls: 0,
    async upsertProducts(batch: readonly ProductRow[]) {
      sink.calls++;
      if (failSku && batch.some((r) => r.sku === failSku))
        throw new Error(`constraint violated for ${failSku}`);
      for (const r of batch) rows.set(r.sku, r);
    },
  };
  return sink;
}

const tmp = suiteTempDir('catalog-import-');

const CSV = [
  'SKU,Name,Description,Category,Brand,Price,Currency,Tags,Attributes,Stock,Image URL,Margin,Active',
  'A-1,Rain jacket,"Waterproof, breathable",Outdoor,Cragline,89.90,usd,waterproof|rain,"{""colour"":""navy""}",12,https://example.com/a1.png,0.4,true',
  'A-2,,No name here,Outdoor,,10,,,,,,,',
  'A-3,Mug,Stoneware,Kitchen,,-5,,,,3,,,',
  'A-4,Lamp,,Home,,twelve,,,,,not a url,,',
  'A-5,Too,few,columns',
  'A-6,Candle,Soy wax,Home,Hearthly,14,EUR,,{bad json},2,,,no',
  'A-7,Socks,Merino,Outdoor,,15,,,,,,,',
].join('\n');

describe('importCatalog', () => {
  it('imports good CSV rows and reports each bad one with line, field and reason', async () => {
    const file = tmp.join('catalog.csv');
    await writeFile(file, CSV);
    const sink = memorySink();
    const report = await importCatalog(file, sink);
    expect([...sink.rows.keys()].sort()).toEqual(['A-1', 'A-7']);
    expect(sink.rows.get('A-1')).toMatchObject({
      price: 89.9,
      currency: 'USD',
      tags: ['waterproof', 'rain'],
      attributes: { colour: 'navy' },
      stock: 12,
      margin: 0.4,
    });
    expect(report.imported).toBe(2);
    expect(report.rejected).toBe(report.rows - 2);
    const find = (line: number, field: string) =>
      report.errors.find((e) => e.line === line && e.field === field);
    expect(find(3, 'name')?.reason).toBe('is required');
    expect(find(4, 'price')?.reason).toBe('must not be negative');
    expect(find(5, 'price')?.reason).toBe('must be a number');
    expect(find(5, 'imageUrl')?.reason).toBe('must be a URL');
    expect(find(7, 'attributes')?.reason).toBe('must be a JSON object');
    expect(find(7, 'attributes')?.sku).toBe('A-6');
    expect(find(6, '(row)')?.reason).toMatch(/column/i);
  });

  it('reports an unclosed quote as one bad record and keeps the rows before it', async () => {
    const file = tmp.join('quote.csv');
    await writeFile(
      file,
      ['sku,name,category,price', 'Q-1,Good,c,1', 'Q-2,"Broken quote,c,1', 'Q-3,Later,c,1'].join('\n'),
    );
    const sink = memorySink();
    const report = await importCatalog(file, sink);
    expect([...sink.rows.keys()]).toEqual(['Q-1']);
    expect(report.rejected).toBeGreaterThanOrEqual(1);
    expect(report.errors[0]).toMatchObject({ field: '(row)' });
  });

  it('streams a JSON array and JSON lines, with line numbers of each element', async () => {
    const json = tmp.join('catalog.json');
    await writeFile(
      json,
      `[\n  {"sku": "J-1", "name": "Mug \\"classic\\" {blue}", "category": "Kitchen", "price": 12, "image_url": "https://x.io/m.png"},\n  {"sku": "J-2", "name": "Bad", "category": "Kitchen", "price": "abc"},\n  42,\n  {"sku": "J-3", "name": "Tea", "category": "Kitchen", "price": 7.5, "tags": ["tea"]}\n]\n`,
    );
    const sink = memorySink();
    const report = await importCatalog(json, sink, { batchSize: 1 });
    expect([...sink.rows.keys()]).toEqual(['J-1', 'J-3']);
    expect(sink.rows.get('J-1')).toMatchObject({
      name: 'Mug "classic" {blue}',
      imageUrl: 'https://x.io/m.png',
    });
    expect(report.errors).toEqual([
      { line: 3, field: 'price', reason: 'must be a number', sku: 'J-2' },
      { line: 4, field: '(row)', reason: 'not a JSON object' },
    ]);
    const jsonl = tmp.join('catalog.jsonl');
    await writeFile(
      jsonl,
      '{"sku":"L-1","name":"One","category":"c","price":1}\n{oops\n\n{"sku":"L-2","name":"Two","category":"c","price":2}\n',
    );
    const sink2 = memorySink();
    const r2 = await importCatalog(jsonl, sink2);
    expect([...sink2.rows.keys()]).toEqual(['L-1', 'L-2']);
    expect(r2.errors[0]).toMatchObject({ line: 2, field: '(row)' });
  });

  it('retries a failed batch row by row so good rows still land', async () => {
    const file = tmp.join('batch.csv');
    await writeFile(
      file,
      ['sku,name,category,price', 'B-1,One,c,1', 'B-2,Two,c,2', 'B-3,Three,c,3'].join('\n'),
    );
    const sink = memorySink('B-2');
    const report = await importCatalog(file, sink, { batchSize: 10 });
    expect([...sink.rows.keys()].sort()).toEqual(['B-1', 'B-3']);
    expect(report.errors).toEqual([
      { line: 3, field: '(database)', reason: 'constraint violated for B-2', sku: 'B-2' },
    ]);
  });

  it('keeps memory bounded on a large file: batches flush as it streams', async () => {
    const file = tmp.join('big.csv');
    const lines = ['sku,name,category,price,stock'];
    for (let i = 0; i < 20_000; i++)
      lines.push(i % 1000 === 0 ? `X-${i},,c,1,1` : `X-${i},Product ${i},c,${i % 300},${i % 7}`);
    await writeFile(file, lines.join('\n'));
    let maxBatch = 0;
    let count = 0;
    const report = await importCatalog(
      file,
      {
        async upsertProducts(rows) {
          maxBatch = Math.max(maxBatch, rows.length);
          count += rows.length;
        },
      },
      { batchSize: 250, maxErrors: 5 },
    );
    expect(count).toBe(19_980);
    expect(maxBatch).toBe(250);
    expect(report.rejected).toBe(20);
    expect(report.errors).toHaveLength(5); // capped report, complete counts
  });

  it('rejects unsupported or missing files with a clear error', async () => {
    await expect(importCatalog(tmp.join('nope.csv'), memorySink())).rejects.toThrow(
      /cannot read catalog file/,
    );
    const xml = tmp.join('catalog.xml');
    await writeFile(xml, '<x/>');
    await expect(importCatalog(xml, memorySink())).rejects.toBeInstanceOf(RecsysError);
  });
});

describe('streamJsonArray', () => {
  it('handles elements split across chunks and reports a missing closing bracket', async () => {
    async function* chunks() {
      yield '[{"sku":"a","n';
      yield 'ame":"x\\"}"},';
      yield ' {"sku":"b"}';
    }
    const out = [];
    for await (const e of streamJsonArray(chunks())) out.push(e);
    expect(out).toEqual([
      { line: 1, record: { sku: 'a', name: 'x"}' } },
      { line: 1, record: { sku: 'b' } },
      { line: 1, error: 'file ends inside the array (missing ])' },
    ]);
  });

  it('refuses a top-level object', async () => {
    const out = [];
    for await (const e of streamJsonArray(['{"sku":"a"}'])) out.push(e);
    expect(out[0]).toMatchObject({ error: expect.stringMatching(/must be an array/) });
  });
});

describe('ZProductRow', () => {
  it('applies defaults and coercions', () => {
    expect(ZProductRow.parse({ sku: 'S-1', name: ' Cup ', category: 'Kitchen', price: '3.50' })).toEqual({
      sku: 'S-1',
      name: 'Cup',
      description: '',
      category: 'Kitchen',
      brand: undefined,
      price: 3.5,
      currency: 'USD',
      tags: [],
      attributes: {},
      stock: 0,
      imageUrl: undefined,
      margin: undefined,
      active: true,
    });
  });
});

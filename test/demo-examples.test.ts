import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../cli/batch-runner';
import { findInsProblem } from '../domain/ins';

const lines = readFileSync(path.join(__dirname, '..', 'examples', 'demo.jsonl'), 'utf8').trimEnd().split('\n');

describe('demo batch', () => {
  it('has exactly one invalid INS', () => {
    const invalid = lines.map((text) => JSON.parse(text).ins as string).filter((ins) => findInsProblem(ins) !== null);
    expect(invalid).toHaveLength(1);
  });

  it('has a message and a document for every status of the reference table', () => {
    const ids = lines.map((text) => parseLine(1, text)).flatMap((parsed) => ('line' in parsed && 'id' in parsed.line ? [parsed.line.id] : []));
    for (const status of ['activated', 'created-am-email', 'created-no-email', 'opposed', 'closed', 'opening', 'unknown']) {
      expect(ids).toContain(`demo-msg-${status}`);
      expect(ids).toContain(`demo-doc-${status}`);
    }
  });

  it('has consultations, an emergency one included', () => {
    const consultations = lines.map((text) => JSON.parse(text)).filter((line) => line.type === 'consultation');
    expect(consultations.map((line) => line.mode).sort()).toEqual(['emergency', 'normal', 'normal']);
  });
});

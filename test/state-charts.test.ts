import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountMachine } from '../machines/account-machine';
import { renderStateCharts } from '../machines/export-state-charts';
import { toMermaid } from '../machines/state-chart';

const rendered = renderStateCharts();

describe('committed state charts', () => {
  it.each(Object.keys(rendered))('%s matches the machines (run `npm run mes -- machines export` after a change)', (relativePath) => {
    expect(readFileSync(path.join(__dirname, '..', relativePath), 'utf8')).toBe(rendered[relativePath]);
  });
});

describe('toMermaid', () => {
  it('draws every transition of the machine, guards included', () => {
    const diagram = toMermaid(accountMachine);
    expect(diagram).toContain('opposed --> activated : account.activated');
    expect(diagram).toContain('created --> closed_onDeath : account.closed [isDeath]');
    expect(diagram).toContain('closed_byHolder_deletionPending --> closed_byHolder_purged : account.purged [isCurrentClosure]');
    // 22 transitions in the machine, plus one initial arrow for the root and each of the 3 composite states.
    const transitions = diagram.split('\n').filter((line) => line.includes(' --> ') && !line.includes('[*]'));
    expect(transitions).toHaveLength(22);
  });

  it('exports a configuration that rebuilds the same states', () => {
    const config = JSON.parse(rendered['docs/account-machine.json']!);
    expect(Object.keys(config.states)).toEqual(['unknown', 'opening', 'created', 'activated', 'opposed', 'closed']);
    expect(config.states.closed.states.byHolder.states.deletionPending.meta).toEqual({
      eventRejections: { 'account.activated': 'DELETION_PENDING' },
    });
  });
});

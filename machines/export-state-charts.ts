import { accountMachine } from './account-machine';
import { describeStates, toMermaid } from './state-chart';

/** Renders the generated files, by path from the project root: the Markdown page and the machine for Stately's editor. */
export function renderStateCharts(): Record<string, string> {
  const page = [
    '# State charts',
    '',
    'Generated from `machines/` by `mes machines export`; a test fails when this page differs from the machines.',
    'The account machine below is the lifecycle of a Mon espace santé account. Each top-level state is a stored',
    'status; its `meta` carries the row of the reference table (what happens to a message, a document and a',
    'consultation, and who is notified). The nested states of `closed` carry the codes of the events they refuse.',
    '',
    '## Account machine',
    '',
    '```mermaid',
    toMermaid(accountMachine),
    '```',
    '',
    '### States',
    '',
    ...describeStates(accountMachine),
    '',
    '## Import into Stately',
    '',
    "[`account-machine.json`](account-machine.json) is the machine's configuration as JSON. In Stately's editor,",
    'import it as a machine definition; guards and actions keep their names (`isDeath`, `recordClosure`, ...).',
    '',
  ].join('\n');

  return {
    'docs/state-charts.md': page,
    'docs/account-machine.json': JSON.stringify(accountMachine.config, null, 2) + '\n',
  };
}

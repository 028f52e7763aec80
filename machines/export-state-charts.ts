import { accountMachine, type DeliveryRule, type StatusRules } from './account-machine';
import { describeStates, metaByState, toMermaid } from './state-chart';

function ruleCell(rule: DeliveryRule | StatusRules['consultation']): string {
  if ('accepted' in rule) {
    if (!rule.accepted) {
      return `rejected: \`${rule.rejection}\``;
    }
    return rule.readableByPatient ? 'accepted, readable' : 'accepted, readable after activation';
  }
  return rule.allowed ? 'allowed' : `rejected: \`${rule.rejection}\``;
}

/** Renders the reference table and the refused events from the states' meta, as Markdown tables. */
function metaTables(): string[] {
  const statusRows: string[] = [];
  const rejectionRows: string[] = [];
  for (const [state, meta] of metaByState(accountMachine)) {
    if ('label' in meta) {
      const rules = meta as unknown as StatusRules;
      statusRows.push(
        `| \`${state}\` | ${ruleCell(rules.message)} | ${ruleCell(rules.document)} | ${ruleCell(rules.consultation)} | \`${rules.notification}\` |`,
      );
    }
    const eventRejections = (meta as { eventRejections?: Record<string, string> }).eventRejections ?? {};
    for (const [event, code] of Object.entries(eventRejections)) {
      rejectionRows.push(`| \`${state}\` | \`${event}\` | \`${code}\` |`);
    }
  }
  return [
    '### Reference table (state meta)',
    '',
    '| state | message | document | consultation | notification |',
    '|---|---|---|---|---|',
    ...statusRows,
    '',
    '### Events refused with a specific code (nested state meta)',
    '',
    'Other events a state does not handle are rejected with `ACCOUNT_EVENT_REJECTED`.',
    '',
    '| state | event | code |',
    '|---|---|---|',
    ...rejectionRows,
  ];
}

/** Renders the generated files, by path from the project root: the Markdown page and the machine for Stately's editor. */
export function renderStateCharts(): Record<string, string> {
  const page = [
    '# State charts',
    '',
    'Generated from `machines/` by `mes machines export`; a test fails when this page differs from the machines.',
    'The account machine below is the lifecycle of a Mon espace santé account. Each top-level state is a stored',
    'status; its `meta` carries the row of the reference table (what happens to a message, a document and a',
    'consultation, and who is notified). The nested states of `closed` carry the codes of the events they refuse.',
    '`account.opposition-window-elapsed` and `account.purged` come from durable Temporal timers of the account',
    'workflow (the 6-week opposition window, the 10-year archive retention, the express deletion delay).',
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
    ...metaTables(),
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

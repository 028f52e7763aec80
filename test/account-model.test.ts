import { randomUUID } from 'node:crypto';
import { transition, type StateNode } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountEventRequest } from '../contracts/account-events';
import { patientRefOf } from '../domain/patient-ref';
import { accountMachine, type AccountEvent } from '../machines/account-machine';
import { statusRulesOf, type AccountSnapshot } from '../machines/account-snapshot';
import { generateIns } from './support/identities';
import { consultationFor, documentFor, messageFor, newProfessional } from './support/requests';
import { startTestEnvironment, type TestEnvironment } from './support/test-environment';

/**
 * Model-based test: XState's graph utilities give a shortest path to every state of the account machine. Each
 * transition possible from that state extends the path by one event. Each path is replayed on the real system
 * (workflows, PostgreSQL, SMTP), and after every step the stored state and the outcome of a message, a document
 * and a consultation are checked against what the machine and its meta promise.
 */

/** Short lifecycle delays: the opposition window and the purges are steps of the paths. */
const DELAYS = { openingWindowMs: 2_500, archiveRetentionMs: 3_000, deletionDelayMs: 1_500 };
const CLOSED_AT = '2026-01-15T10:00:00.000Z';

/** Events offered to the machine in each state, with fixed payloads; a purge names the state's closure. */
function sampleEvents(snapshot: AccountSnapshot): AccountEvent[] {
  return [
    { type: 'account.opening', amEmail: 'am@example.org' },
    { type: 'account.created', amEmail: 'am@example.org' },
    { type: 'account.activated', personalEmail: 'perso@example.org' },
    { type: 'account.opposed' },
    { type: 'account.closed', reason: 'holder-request', at: CLOSED_AT },
    { type: 'account.closed', reason: 'death', at: CLOSED_AT },
    { type: 'account.deletion-requested' },
    { type: 'account.opposition-window-elapsed' },
    { type: 'account.purged', closedAt: snapshot.context.closedAt ?? CLOSED_AT },
  ];
}

interface Plan {
  name: string;
  /** State before the last step, whose transition this plan covers. */
  source: AccountSnapshot;
  steps: Array<{ event: AccountEvent; state: AccountSnapshot }>;
}

/** Builds one plan per transition: the shortest path to its source state, then the transition's event. */
function plansCoveringEveryTransition(): Plan[] {
  const toStates = getShortestPaths(accountMachine, {
    events: sampleEvents,
    serializeState: (snapshot) => JSON.stringify(snapshot.value),
  });

  const plans = new Map<string, Plan>();
  for (const path of toStates) {
    for (const event of sampleEvents(path.state)) {
      if (!path.state.can(event)) {
        continue;
      }
      const reason = event.type === 'account.closed' ? ` (${event.reason})` : '';
      const name = `${JSON.stringify(path.state.value)} --${event.type}${reason}-->`;
      if (plans.has(name)) {
        continue;
      }
      const [next] = transition(accountMachine, path.state, event);
      plans.set(name, { name, source: path.state, steps: [...path.steps, { event, state: next }] });
    }
  }
  return [...plans.values()];
}

let env: TestEnvironment;

beforeAll(async () => {
  env = await startTestEnvironment('account-model', { lifecycleDelays: DELAYS });
});

afterAll(async () => {
  await env?.stop();
});

async function storedValue(ins: string): Promise<unknown> {
  const result = await env.pool.query('SELECT snapshot FROM accounts WHERE patient_ref = $1', [patientRefOf(ins, env.pseudonymKey)]);
  const snapshot = result.rows[0]?.snapshot;
  return snapshot ? (snapshot.value ?? snapshot.status) : 'unknown';
}

async function waitForValue(ins: string, expected: unknown): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (JSON.stringify(await storedValue(ins)) !== JSON.stringify(expected)) {
    if (Date.now() > deadline) {
      throw new Error(`state stayed ${JSON.stringify(await storedValue(ins))}, expected ${JSON.stringify(expected)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends the step's event through the real system, or waits for the workflow that sends it itself. */
async function replay(ins: string, event: AccountEvent): Promise<void> {
  const id = `model-${randomUUID()}`;
  const requests: Partial<Record<AccountEvent['type'], AccountEventRequest>> = {
    'account.opening': { type: 'account.opening', id, ins, amEmail: `am-${ins}@example.org` },
    'account.created': { type: 'account.created', id, ins, amEmail: `am-${ins}@example.org` },
    'account.activated': { type: 'account.activated', id, ins, personalEmail: `perso-${ins}@example.org` },
    'account.opposed': { type: 'account.opposed', id, ins },
    'account.closed': { type: 'account.closed', id, ins, reason: event.type === 'account.closed' ? event.reason : 'holder-request' },
    'account.deletion-requested': { type: 'account.deletion-requested', id, ins },
  };
  const request = requests[event.type];
  if (request) {
    await env.client.applyAccountEvent(request);
  }
  // The end of the opposition window and the purges come from the lifecycle workflows' timers.
}

/** Checks that a message, a document and a consultation get what the state's meta promises. */
async function checkReferenceTable(ins: string, state: AccountSnapshot): Promise<void> {
  const rules = statusRulesOf(state);
  const professional = newProfessional();

  const message = env.client.sendMessage(messageFor(ins, { sender: professional }));
  if (rules.message.accepted) {
    await expect(message).resolves.toMatchObject({ outcome: 'delivered', readableByPatient: rules.message.readableByPatient });
  } else {
    await expect(message).rejects.toMatchObject({ code: rules.message.rejection });
  }

  const document = env.client.feedDocument(documentFor(ins, { author: professional }));
  if (rules.document.accepted) {
    await expect(document).resolves.toMatchObject({ outcome: 'stored', readableByPatient: rules.document.readableByPatient });
  } else {
    await expect(document).rejects.toMatchObject({ code: rules.document.rejection });
  }

  const consultation = env.client.consultDmp(consultationFor(ins, professional));
  if (rules.consultation.allowed) {
    await expect(consultation).resolves.toMatchObject({ outcome: 'consulted' });
  } else {
    await expect(consultation).rejects.toMatchObject({ code: rules.consultation.rejection });
  }
}

/** Lists every transition declared in the machine: its source state, event and target states, as dotted paths. */
function declaredTransitions(): Array<{ source: string; event: string; targets: string[] }> {
  const found: Array<{ source: string; event: string; targets: string[] }> = [];
  const visit = (node: StateNode<any, any>) => {
    for (const [event, definitions] of node.transitions) {
      for (const definition of definitions) {
        const targets = ((definition.target ?? []) as Array<StateNode<any, any>>).map((target) => target.path.join('.'));
        found.push({ source: node.path.join('.'), event, targets });
      }
    }
    for (const child of Object.values(node.states)) {
      visit(child as StateNode<any, any>);
    }
  };
  visit(accountMachine.root as StateNode<any, any>);
  return found;
}

const plans = plansCoveringEveryTransition();

describe('account machine model', () => {
  it('has a plan for every transition declared in the machine', () => {
    const transitions = declaredTransitions();
    expect(transitions).toHaveLength(22);

    for (const declared of transitions) {
      const covering = plans.filter((plan) => {
        const last = plan.steps.at(-1)!;
        return (
          plan.source.matches(declared.source as never) &&
          last.event.type === declared.event &&
          declared.targets.every((target) => last.state.matches(target as never))
        );
      });
      expect(covering.length, `${declared.source} --${declared.event}--> ${declared.targets.join(', ')}`).toBeGreaterThan(0);
    }
  });

  it.each(plans.map((plan) => [plan.name, plan] as const))('%s', async (_name, plan) => {
    const ins = generateIns();
    for (const step of plan.steps) {
      await replay(ins, step.event);
      await waitForValue(ins, step.state.value);
      await checkReferenceTable(ins, step.state);
    }
  });
});

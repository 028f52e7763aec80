import type { AnyStateMachine, StateNode } from 'xstate';

type AnyStateNode = StateNode<any, any>;

/** Mermaid-safe identifier of a state node: its path with dots and dashes replaced. */
function mermaidId(node: AnyStateNode): string {
  return node.path.length === 0 ? 'root' : node.path.join('_');
}

function guardName(guard: unknown): string | null {
  if (!guard) {
    return null;
  }
  if (typeof guard === 'string') {
    return guard;
  }
  return (guard as { type?: string }).type ?? 'guard';
}

/** Renders the declarations of a node's child states, nesting composite states as Mermaid blocks. */
function renderStates(node: AnyStateNode, indent: string, lines: string[]): void {
  const children = Object.values(node.states) as AnyStateNode[];
  const initial = node.initial?.target?.[0] as AnyStateNode | undefined;
  if (initial) {
    lines.push(`${indent}[*] --> ${mermaidId(initial)}`);
  }

  for (const child of children) {
    const id = mermaidId(child);
    lines.push(`${indent}state "${child.key}" as ${id}`);
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${id} {`);
      renderStates(child, `${indent}  `, lines);
      lines.push(`${indent}}`);
    }
  }
}

/** Collects every transition of the machine, with its event and guard, from every state node. */
function collectTransitions(node: AnyStateNode, lines: string[]): void {
  for (const [eventType, transitions] of node.transitions) {
    for (const transition of transitions) {
      for (const target of (transition.target ?? []) as AnyStateNode[]) {
        const guard = guardName(transition.guard);
        lines.push(`  ${mermaidId(node)} --> ${mermaidId(target)} : ${eventType}${guard ? ` [${guard}]` : ''}`);
      }
    }
  }
  for (const child of Object.values(node.states) as AnyStateNode[]) {
    collectTransitions(child, lines);
  }
}

/** Renders a machine as a Mermaid `stateDiagram-v2`: nested states as blocks, transitions labelled with their events and guards. */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  renderStates(machine.root as AnyStateNode, '  ', lines);
  collectTransitions(machine.root as AnyStateNode, lines);
  return lines.join('\n');
}

/** Lists each state with its description, as Markdown bullet lines, in declaration order. */
export function describeStates(machine: AnyStateMachine): string[] {
  const lines: string[] = [];
  const visit = (node: AnyStateNode, depth: number) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      const description = child.description ? `: ${child.description}` : '';
      lines.push(`${'  '.repeat(depth)}- \`${child.path.join('.')}\`${description}`);
      visit(child, depth + 1);
    }
  };
  visit(machine.root as AnyStateNode, 0);
  return lines;
}

/** Lists `[state path, meta]` for every state node with a `meta`, in declaration order. */
export function metaByState(machine: AnyStateMachine): Array<[string, Record<string, unknown>]> {
  const found: Array<[string, Record<string, unknown>]> = [];
  const visit = (node: AnyStateNode) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      if (child.meta) {
        found.push([child.path.join('.'), child.meta as Record<string, unknown>]);
      }
      visit(child);
    }
  };
  visit(machine.root as AnyStateNode);
  return found;
}

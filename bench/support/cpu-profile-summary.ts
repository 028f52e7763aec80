import { readFileSync } from 'node:fs';

/** A V8 CPU profile as `node --cpu-prof` writes it. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self CPU time of one part of the code, as a share of the profile's samples that were not idle. */
export interface ProfileShare {
  part: string;
  sharePercent: number;
}

/**
 * Names the part of the code a frame belongs to: the npm package for dependencies, the project folder for the
 * project's own files, V8's own labels (garbage collector, program) otherwise.
 */
function partOf(callFrame: { functionName: string; url: string }): string {
  const { url, functionName } = callFrame;
  if (!url) {
    return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  }
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) {
    return dependency[1]!;
  }
  if (url.startsWith('node:')) {
    return 'node internals';
  }
  const project = /\/(activities|workflows|store|machines|mail|client|codec|config|contracts|domain|worker|cli)\//.exec(url);
  return project ? `project ${project[1]}/` : 'other';
}

/** Reads a CPU profile and returns the largest parts by self time, idle time left out. */
export function summarizeCpuProfile(file: string, top = 12): ProfileShare[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const partByNode = new Map(profile.nodes.map((node) => [node.id, partOf(node.callFrame)]));

  const microseconds = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((nodeId, index) => {
    const part = partByNode.get(nodeId) ?? 'other';
    if (part === '(idle)') {
      return;
    }
    const delta = profile.timeDeltas[index] ?? 0;
    microseconds.set(part, (microseconds.get(part) ?? 0) + delta);
    total += delta;
  });

  return [...microseconds.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([part, time]) => ({ part, sharePercent: Math.round((time / total) * 1000) / 10 }));
}

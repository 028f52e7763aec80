import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderStateCharts } from '../../machines/export-state-charts';

/** Root of the project, where the generated docs live. */
const PROJECT_ROOT = path.join(__dirname, '..', '..');

/** Runs `mes machines export`: writes the Mermaid state charts and the Stately JSON into `docs/`. */
export function exportMachinesCommand(): void {
  for (const [relativePath, content] of Object.entries(renderStateCharts())) {
    const target = path.join(PROJECT_ROOT, relativePath);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    process.stdout.write(`wrote ${relativePath}\n`);
  }
}

import { readFileSync } from 'node:fs';

/** CPU time and memory of a process, read from Linux's /proc. */
export interface ProcessMetrics {
  /** User plus system CPU time since the process started, in seconds. */
  cpuSeconds: number;
  /** Resident memory now, in bytes. */
  rssBytes: number;
  /** Highest resident memory since the process started (VmHWM), in bytes. */
  peakRssBytes: number;
}

/** Clock ticks per second of the CPU times in /proc/<pid>/stat; 100 on every Linux this project runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Reads the metrics of a running process; the benchmark measures its worker processes this way. */
export function readProcessMetrics(pid: number): ProcessMetrics {
  // The command name, in parentheses, may hold spaces: fields are counted after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, so 12 and 13 after the state field.
  const cpuTicks = Number(fields[11]) + Number(fields[12]);

  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kibibytes = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { cpuSeconds: cpuTicks / CLOCK_TICKS_PER_SECOND, rssBytes: kibibytes('VmRSS'), peakRssBytes: kibibytes('VmHWM') };
}

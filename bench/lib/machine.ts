/** A description of the machine the figures were measured on. */
import { readFileSync } from 'fs';
import * as os from 'os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly node: string;
  readonly os: string;
  readonly date: string;
  /** 1-minute load average when the run started */
  readonly load: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux: fall back to Node's view
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    load: os.loadavg().map((l) => l.toFixed(2)).join(', '),
  };
}

export function machineLines(m: MachineInfo): string[] {
  return [
    `- CPU: ${m.cpu} (${m.cores} cores visible)`,
    `- Memory: ${m.memory}`,
    `- Node.js: ${m.node}; OS: ${m.os}`,
    `- Date: ${m.date}; load average at start (1, 5, 15 min): ${m.load}`,
  ];
}

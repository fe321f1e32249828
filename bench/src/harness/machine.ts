import { readdirSync, readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

// How busy the machine is. The benchmark shares two cores with other people's work, so before each
// measurement it waits (a bounded time) for the machine to be quiet and records how quiet it was, and
// during each measurement it records how much CPU went to processes that are not part of the benchmark.
// A figure taken while someone else used a core is flagged, so it can be rejected instead of trusted.

/** Idle share a machine must reach to count as quiet before a measurement. */
export const QUIET_IDLE = 0.7;

interface CpuTimes {
  busy: number;
  total: number;
}

function readCpuTimes(): CpuTimes {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const idleAll = idle + iowait;
  const total = user + nice + system + idleAll + irq + softirq + steal;
  return { busy: total - idleAll, total };
}

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on every Linux build that matters). */
const TICKS = 100;

/** CPU seconds (user + system) a process and, optionally, its children have used so far. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / TICKS;
  } catch {
    return 0;
  }
}

/** The pids whose parent is `ppid` (e.g. PostgreSQL's backends under its postmaster). */
export function childPids(ppid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** Finds processes whose command line contains `needle` (the bench's embedded PostgreSQL by its data dir). */
export function pidsByCommandLine(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(needle)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

/** The state of the machine before a measurement. */
export interface QuietCheck {
  /** Idle share of all cores over the last sampled second. */
  idle: number;
  /** One-minute load average at that moment. */
  load1: number;
  /** Seconds spent waiting for the machine to become quiet. */
  waitedSeconds: number;
  /** True when the machine never reached QUIET_IDLE within the allowed wait. */
  busy: boolean;
}

function load1(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Samples idle over `ms`. */
export async function sampleIdle(ms = 1000): Promise<number> {
  const before = readCpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = readCpuTimes();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.busy - before.busy) / total : 1;
}

/** Waits up to `maxWaitSeconds` for the machine's idle share to reach QUIET_IDLE, sampling each second. */
export async function waitForQuiet(maxWaitSeconds: number): Promise<QuietCheck> {
  const started = performance.now();
  for (;;) {
    const idle = await sampleIdle(1000);
    const waitedSeconds = (performance.now() - started) / 1000;
    if (idle >= QUIET_IDLE || waitedSeconds >= maxWaitSeconds) {
      return { idle, load1: load1(), waitedSeconds, busy: idle < QUIET_IDLE };
    }
  }
}

/** CPU use during a measurement, split into the benchmark's own processes and everyone else. */
export interface CpuUsage {
  /** Cores busy on average, all processes. */
  totalCores: number;
  /** Cores used by the processes of the benchmark (servers, harness, its PostgreSQL). */
  ownCores: number;
  /** Cores used by anything else: someone else's load during the measurement. */
  foreignCores: number;
  /** CPU seconds per group of own processes (e.g. the server under test, PostgreSQL, the harness). */
  seconds: Record<string, number>;
}

/**
 * Starts measuring CPU use; `stop()` returns the averages since. Each group's pids are re-read at stop,
 * so a PostgreSQL backend that started during the measurement counts (from zero).
 */
export function measureCpu(groups: Record<string, () => number[]>): { stop(): CpuUsage } {
  const started = performance.now();
  const before = readCpuTimes();
  const snapshot = () =>
    Object.fromEntries(
      Object.entries(groups).map(([name, pids]) => [
        name,
        new Map(pids().map((pid) => [pid, processCpuSeconds(pid)])),
      ]),
    );
  const initial = snapshot();
  return {
    stop() {
      const elapsed = (performance.now() - started) / 1000;
      const after = readCpuTimes();
      const final = snapshot();
      const seconds: Record<string, number> = {};
      const counted = new Set<number>();
      let own = 0;
      for (const [name, pids] of Object.entries(final)) {
        let sum = 0;
        for (const [pid, cpu] of pids) {
          if (counted.has(pid)) continue;
          counted.add(pid);
          // A pid that ended and was reused by a new process during the measurement reads lower than
          // before; count the new process from zero.
          const before = initial[name]?.get(pid) ?? 0;
          sum += cpu >= before ? cpu - before : cpu;
        }
        seconds[name] = sum;
        own += sum;
      }
      const totalCores = (after.busy - before.busy) / TICKS / elapsed;
      const ownCores = own / elapsed;
      return { totalCores, ownCores, foreignCores: Math.max(0, totalCores - ownCores), seconds };
    },
  };
}

/** Resident memory of a process now and at its peak (VmRSS, VmHWM), in MiB; null once it is gone. */
export function readRss(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** What the report says about the machine. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
}

export function describeMachine(): MachineInfo {
  const model =
    /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  return {
    cores: cpus().length,
    cpuModel: model?.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
  };
}

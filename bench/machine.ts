/**
 * How busy the machine was while a benchmark ran, from Linux's /proc/stat: the share of all CPUs'
 * time spent working, and the share stolen by the hypervisor (a virtual machine's CPUs waiting for
 * the host's). A benchmark's tasks lengthen with either, without any change in the code; printing
 * them next to the figures says whether a run was quiet. Elsewhere than Linux there is no
 * /proc/stat, and the figures are null.
 */
import { readFileSync } from 'node:fs';

/** The machine's CPU time counters, in clock ticks, summed over all CPUs. */
export interface CpuTicks {
  total: number;
  idle: number;
  steal: number;
  /** The CPUs /proc/stat counts (its cpuN lines). */
  cpus: number;
}

export function cpuTicks(): CpuTicks | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guests are in user)
  const fields = /^cpu\s+(.*)$/m.exec(stat)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [number, ...number[]];
  return {
    total: user + nice! + system! + idle! + iowait! + irq! + softirq! + steal!,
    idle: idle! + iowait!,
    steal: steal!,
    cpus: stat.match(/^cpu\d+\s/gm)?.length ?? 0,
  };
}

/** Shares (0-1) of all CPUs' time between two readings: spent working, and stolen by the host. */
export interface CpuShares {
  busy: number;
  steal: number;
  cpus: number;
}

/** Between two readings: the shares of CPU time spent working and stolen, or null. */
export function cpuShares(before: CpuTicks | null, after: CpuTicks | null): CpuShares | null {
  if (!before || !after) return null;
  const total = after.total - before.total;
  if (total <= 0) return null;
  return {
    busy: (total - (after.idle - before.idle) - (after.steal - before.steal)) / total,
    steal: (after.steal - before.steal) / total,
    cpus: after.cpus,
  };
}

/**
 * "busy 41%, stolen by the host 12%, of 2 CPUs", or a note that the figures are not available.
 * Busy counts everything the machine ran, the benchmark's own browser and Node among it; stolen is
 * time the host gave to others.
 */
export function describeShares(shares: CpuShares | null): string {
  if (!shares) return 'not measured (no /proc/stat)';
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return `busy ${pct(shares.busy)}, stolen by the host ${pct(shares.steal)}, of ${shares.cpus} CPUs`;
}

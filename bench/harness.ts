// The one benchmark harness: every suite measures its contenders in the same process, one after
// another, and reports ratios against a named baseline, so results compare within a run and
// never depend on absolute machine speed.
import { performance } from 'node:perf_hooks';

/** One contender: an async operation repeated for a fixed time after a warm-up. */
export interface Contender {
  name: string;
  run: () => unknown | Promise<unknown>;
}

/** A measured contender. */
export interface Measurement {
  name: string;
  opsPerSecond: number;
  meanMs: number;
  samples: number;
}

/** What a suite file exports as `suite`. */
export interface Suite {
  name: string;
  /** Runs the suite and returns printable result lines; throws when a target is missed. */
  run: () => Promise<SuiteResult>;
}

export interface SuiteResult {
  measurements: Measurement[];
  /** Human lines: ratios and targets, e.g. "encrypt: 0.93× floor (target ≥ 0.8×) ok". */
  lines: string[];
  /** Targets missed; the run exits non-zero if any suite misses one. */
  missed: string[];
}

/** Measures `contender` for about `durationMs` after `warmupMs`, awaiting each call. */
export async function measure(contender: Contender, durationMs = 1500, warmupMs = 300): Promise<Measurement> {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) await contender.run();
  let samples = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    await contender.run();
    samples += 1;
    now = performance.now();
  }
  const elapsed = now - start;
  return { name: contender.name, opsPerSecond: (samples * 1000) / elapsed, meanMs: elapsed / samples, samples };
}

/**
 * Measures contenders interleaved in rounds (A B C A B C …) so drift in machine load hits all of
 * them alike, and reports each contender's median round: a burst of load from elsewhere on the
 * shared machine that lands on one contender's slot of one round moves its mean, not its median.
 */
export async function compare(contenders: Contender[], rounds = 5, durationMs = 400): Promise<Measurement[]> {
  const perRound = new Map<string, Measurement[]>();
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) {
      const result = await measure(contender, durationMs, round === 0 ? 300 : 50);
      perRound.set(contender.name, [...(perRound.get(contender.name) ?? []), result]);
    }
  }
  return contenders.map(({ name }) => {
    const results = perRound.get(name)!;
    const sorted = [...results].sort((a, b) => a.opsPerSecond - b.opsPerSecond);
    const middle = sorted[Math.floor(sorted.length / 2)]!;
    const samples = results.reduce((sum, result) => sum + result.samples, 0);
    return { name, samples, meanMs: middle.meanMs, opsPerSecond: middle.opsPerSecond };
  });
}

/** "name: 12,345 ops/s (0.93× floor)" lines, ratios against `baseline`. */
export function ratioLines(measurements: Measurement[], baseline: string): string[] {
  const base = measurements.find((m) => m.name === baseline);
  return measurements.map((m) => {
    const ratio = base ? ` (${(m.opsPerSecond / base.opsPerSecond).toFixed(2)}× ${baseline})` : '';
    return `${m.name}: ${Math.round(m.opsPerSecond).toLocaleString('en-US')} ops/s${ratio}`;
  });
}

/** Checks `ours / baseline ≥ target`; returns a line and, when missed, a miss message. */
export function target(
  measurements: Measurement[],
  ours: string,
  baseline: string,
  minimumRatio: number,
): { line: string; missed?: string } {
  const a = measurements.find((m) => m.name === ours);
  const b = measurements.find((m) => m.name === baseline);
  if (!a || !b) throw new Error(`target: unknown contender ${ours} or ${baseline}`);
  const ratio = a.opsPerSecond / b.opsPerSecond;
  const ok = ratio >= minimumRatio;
  const line = `${ours} vs ${baseline}: ${ratio.toFixed(2)}× (target ≥ ${minimumRatio}×) ${ok ? 'ok' : 'MISSED'}`;
  return ok ? { line } : { line, missed: line };
}

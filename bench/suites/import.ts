// Import time: `await import('@mcapi/client')` against what a user of Mastercard's own libraries
// imports for the same job (mastercard-client-encryption + mastercard-oauth1-signer + undici).
// Each sample is a fresh Node process (a module loads once per process), run from the built
// dist/ the way users import it (no @mcapi/source condition, no tsx), contenders interleaved
// in alternating order so load drift hits both alike. Target (issue 18 §2): median ≤ 1.0× the
// baseline's.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurement, Suite } from '../harness.js';

const samples = 15;
const maximumRatio = 1.0;
const benchDir = fileURLToPath(new URL('../', import.meta.url));

// Each contender's child script body; it prints the milliseconds its imports took.
const contenders = [
  { name: '@mcapi/client', specifiers: ['@mcapi/client'], code: timed(`await import('@mcapi/client');`) },
  {
    name: 'mastercard-client-encryption + mastercard-oauth1-signer + undici',
    specifiers: ['mastercard-client-encryption', 'mastercard-oauth1-signer', 'undici'],
    code: timed(
      `await Promise.all([import('mastercard-client-encryption'), import('mastercard-oauth1-signer'), import('undici')]);`,
    ),
  },
  // Not a target, shown so the deferred cost stays visible: undici loads when the first
  // transport is created, so import + createClient() is what a service pays before its first call.
  {
    name: '@mcapi/client import + createClient() (loads undici)',
    specifiers: ['@mcapi/client'],
    code: timed(`const { createClient } = await import('@mcapi/client');
createClient({ environment: 'sandbox', oauth1: { consumerKey: 'bench', signingKey: async () => new Uint8Array(256) }, crossBorder: { encrypt: false } });`),
  },
];

// Times the code alone (process start-up is the same for every contender).
function timed(code: string): string {
  return `const start = performance.now();\n${code}\nconsole.log(performance.now() - start);`;
}

// Runs in the child once, with a resolve hook: which third-party packages the import pulled in.
const packagesScript = `import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = new Set();
port1.on('message', (url) => { const m = /node_modules\\/(?:\\.pnpm\\/[^/]+\\/node_modules\\/)?((?:@[^/]+\\/)?[^/]+)/.exec(url); if (m) seen.add(m[1]); });
const hooks = 'data:text/javascript,' + encodeURIComponent(\`let port; export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) { const result = await next(specifier, context); port.postMessage(result.url); return result; }\`);
register(hooks, { data: { port: port2 }, transferList: [port2] });
for (const specifier of JSON.parse(process.argv[1])) await import(specifier);
await new Promise((resolve) => setTimeout(resolve, 50));
port1.close();
console.log(JSON.stringify([...seen].sort()));`;

function runChild(script: string, specifiers: string[] = []): Promise<string> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // never tsx or the source condition: users import dist/
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script, JSON.stringify(specifiers)],
      { cwd: benchDir, env, timeout: 60_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim())),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const suite: Suite = {
  name: 'import: await import() in a fresh process, built dist/',
  async run() {
    const times = contenders.map(() => [] as number[]);
    // One unmeasured round warms the file-system cache for both.
    for (const contender of contenders) await runChild(contender.code);
    for (let round = 0; round < samples; round++) {
      const order = contenders.map((_, index) => index);
      if (round % 2 === 1) order.reverse();
      for (const index of order) times[index]!.push(Number(await runChild(contenders[index]!.code)));
    }
    const medians = times.map(median);
    const [ours, baseline] = medians as [number, number, number];
    const ratio = ours / baseline;
    const ok = ratio <= maximumRatio;
    const measurements: Measurement[] = contenders.map((contender, index) => ({
      name: contender.name,
      meanMs: medians[index]!,
      opsPerSecond: 1000 / medians[index]!,
      samples,
    }));
    const loaded = JSON.parse(await runChild(packagesScript, contenders[0]!.specifiers)) as string[];
    const lines = [
      ...contenders.map((contender, index) => {
        const sorted = [...times[index]!].sort((a, b) => a - b);
        const ratio = index === 1 ? '' : `, ${(medians[index]! / baseline).toFixed(2)}× baseline`;
        return `${contender.name}: median ${medians[index]!.toFixed(1)} ms (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}, ${samples} processes${ratio})`;
      }),
      `third-party packages loaded by import('@mcapi/client'): ${loaded.join(', ') || 'none'}`,
    ];
    const line = `@mcapi/client import: ${ratio.toFixed(2)}× the baseline's time (target ≤ ${maximumRatio.toFixed(1)}×) ${ok ? 'ok' : 'MISSED'}`;
    lines.push(line);
    const missed = ok ? [] : [line];
    for (const heavy of ['node-forge', 'jose'].filter((name) => loaded.includes(name))) {
      const miss = `${heavy} is loaded at import; it belongs to PKCS#12 / CSR or JWT work only`;
      lines.push(`${miss} MISSED`);
      missed.push(miss);
    }
    return { measurements, lines, missed };
  },
};

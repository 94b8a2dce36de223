// Issue 18 §2: importing the client loads nothing a first request does not need. node-forge
// (PKCS#12 / CSR work), jose (JWTs) and undici (the first transport) each cost tens of
// milliseconds of module loading; they load on first use. Checked in a fresh process (a module
// loads once per process) with a resolve hook recording every module the import pulls in.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

const hooks = `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

// Prints the third-party packages resolved while the given code ran, as a JSON array.
function loadedPackagesScript(code: string): string {
  return `import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { createRequire } from 'node:module';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (url) => urls.push(url));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), { data: { port: port2 }, transferList: [port2] });
${code}
await new Promise((resolve) => setTimeout(resolve, 100));
port1.close();
// CommonJS modules required from inside a package (createRequire) bypass the ESM hooks.
const files = [...urls, ...Object.keys(createRequire(import.meta.url).cache)];
const names = new Set();
for (const file of files) {
  const match = /node_modules\\/(?:\\.pnpm\\/[^/]+\\/node_modules\\/)?((?:@[^/]+\\/)?[^/]+)/.exec(file);
  if (match && match[1] !== 'tsx' && !match[1].startsWith('@esbuild') && match[1] !== 'esbuild' && match[1] !== 'get-tsconfig' && match[1] !== 'resolve-pkg-maps') names.add(match[1]);
}
console.log(JSON.stringify([...names].sort()));`;
}

async function loadedBy(code: string): Promise<string[]> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@mcapi/source', '--import', 'tsx', '--input-type=module', '-e', loadedPackagesScript(code)],
    { cwd: packageDir, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
}

describe('import cost', () => {
  it("import('@mcapi/client') loads neither node-forge, jose nor undici", async () => {
    const loaded = await loadedBy(`await import('@mcapi/client');`);
    expect(loaded.filter((name) => ['node-forge', 'jose', 'undici'].includes(name))).toEqual([]);
  }, 60_000);

  it('the detector sees them once they are used: createClient loads undici, a PKCS#12 load node-forge, a request token jose', async () => {
    const client = await loadedBy(`const { createClient } = await import('@mcapi/client');
createClient({ environment: 'sandbox', oauth1: { consumerKey: 'k', signingKey: async () => new Uint8Array(256) }, crossBorder: { encrypt: false } });`);
    expect(client).toContain('undici');
    const pkcs12 = await loadedBy(`const { parsePkcs12 } = await import('@mcapi/keys');
try { parsePkcs12(new Uint8Array([48, 0]), { passphrase: 'x' }); } catch {}`);
    expect(pkcs12).toContain('node-forge');
    const requestToken = await loadedBy(`const { createRequestTokenSigner } = await import('@mcapi/auth');
const { createCertificateAuthority } = await import('@mcapi/keytool');
const { certificate, privateKey } = await createCertificateAuthority({ commonName: 'import cost' });
await createRequestTokenSigner({ consumerKey: 'k', signingKey: privateKey, certificate }).authorize();`);
    expect(requestToken).toContain('jose');
  }, 90_000);
});

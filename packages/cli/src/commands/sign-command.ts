import { McapiError } from '@mcapi/errors';
import type { CommandContext, CommandOutput, CommandSpec } from '../cli/command-spec.js';
import { createTrace } from '../output/trace.js';
import { buildRequest, requestOptions } from './request-command.js';

export const signCommand: CommandSpec = {
  name: 'sign',
  summary: 'print the Authorization header and base string for a request, without sending it',
  usage: 'sign METHOD URL [--data JSON|@file|-] [--keyring DIR | --consumer-key KEY --signing-key FILE] [--json] [-v]',
  positionals: { min: 2, max: 2, names: 'METHOD and URL' },
  options: requestOptions,
  examples: [
    'mcapi sign GET "https://sandbox.api.mastercard.com/send/v1/partners/P1/crossborder/rates"',
    "mcapi sign POST /send/v1/partners/P1/crossborder/quotes -d @quote.json --json   # body printed as it must be sent",
  ],
  async run(context: CommandContext): Promise<CommandOutput> {
    const [methodArgument, target] = context.positionals as [string, string];
    const method = methodArgument.toUpperCase();
    const showPan = context.values['show-pan'] === true;
    const { prepared, profile } = await buildRequest(context, 'sign', method, target, createTrace(context.stderr, context.verbose), showPan);
    if (!prepared.authorizer) {
      throw new McapiError('ERR_CLI_USAGE', 'Benefit Allocation requests are not signed: they authenticate with the mTLS client certificate. Use mcapi request (or --api cross-border).');
    }
    const headers = await prepared.authorizer({ method, url: prepared.url.href, body: prepared.body });
    const record = prepared.signatures.at(-1)!;
    const sendHeaders = { ...prepared.headers, ...headers };
    // The Authorization value is single-use (fresh nonce, 5-minute timestamp) and only valid for
    // these exact bytes: printing it is the point of this command.
    const lines = [
      `${method} ${prepared.url.href}`,
      ...Object.entries(sendHeaders).map(([name, value]) => `${name}: ${value}`),
      ...(record.baseString === undefined ? [] : ['', 'Signature base string:', record.baseString]),
      ...(prepared.body === undefined ? [] : ['', 'Body (send exactly these bytes; the signature covers their hash):', prepared.body]),
    ];
    return {
      text: lines.join('\n'),
      json: {
        api: profile.name,
        method,
        url: prepared.url.href,
        authorization: record.authorization,
        headers: sendHeaders,
        ...(record.baseString === undefined ? {} : { baseString: record.baseString }),
        ...(prepared.body === undefined ? {} : { body: prepared.body }),
      },
    };
  },
};

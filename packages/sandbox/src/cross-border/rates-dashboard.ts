import { dashboardFields, text, texts } from '../dashboard/dashboard-fields.js';
import { type DashboardRoute, readJson } from '../dashboard/dashboard-routing.js';
import { optional } from '../http/schema.js';
import type { PublishRatesInput, RatePublication } from './carded-rates.js';

const BODY_HINT = ': { project?, partnerId?, pairs? }';

/**
 * The dashboard endpoint that publishes carded rates: `POST /_dashboard/rates`
 * (`{ project?, partnerId?, pairs? }`) → 200 `{ eventRef, rates, deliveries }`, the Carded Rate
 * Push going to every webhook of the project.
 *
 * @example
 * ```ts
 * createDashboardListener({ ...options, routes: [...ratesDashboardRoutes(publishRates)] });
 * ```
 */
export function ratesDashboardRoutes(publish: (input: PublishRatesInput) => RatePublication): DashboardRoute[] {
  return [
    [
      'POST',
      '/rates',
      async ({ request }) => {
        const body = await readJson(request, 64 * 1024);
        const fields = dashboardFields(body, { project: optional(text), partnerId: optional(text), pairs: optional(texts) }, BODY_HINT);
        return { status: 200, body: publish(fields) };
      },
    ],
  ];
}

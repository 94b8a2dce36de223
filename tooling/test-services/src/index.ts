export { serviceAvailable, type ServiceRequirement } from './service-available.js';
export { startRedis, type RedisServer } from './redis-server.js';
export { startConnectProxy, type TestProxy, type TestProxyOptions } from './connect-proxy.js';
export { createSoftHsmToken, softHsmModule, type SoftHsmToken } from './softhsm-token.js';
export { CHROMIUM_PATH, chromiumAvailable, launchChromium, type HeadlessChromium } from './chromium.js';

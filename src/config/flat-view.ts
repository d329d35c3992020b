/**
 * The flat fields rooms read before the slices existed (`config.publicUrl`, `config.koo.appId`, …),
 * as getters onto the slices: one source for every value, and the private key stays lazy. Only so
 * the rooms being rewritten compile unchanged; remove once app.ts hands each room its slice.
 */
import type { Config, ConfigSlices } from './types.js';

export function withFlatFields(slices: ConfigSlices): Config {
  const { server, store, produce, idp, secrets, admin } = slices;
  return {
    ...slices,
    get env() {
      return server.env;
    },
    get port() {
      return server.port;
    },
    get host() {
      return server.host;
    },
    get publicUrl() {
      return server.publicUrl;
    },
    get trustProxy() {
      return server.trustProxy;
    },
    get logLevel() {
      return server.logLevel;
    },
    get redisUrl() {
      return store.redisUrl;
    },
    get redisKeyPrefix() {
      return store.keyPrefix;
    },
    get producePath() {
      return produce.path;
    },
    get produceBodyLimit() {
      return produce.bodyLimit;
    },
    koo: {
      get appId() {
        return produce.appId;
      },
      get accessKey() {
        return produce.accessKey;
      },
      get basicAccessKey() {
        return produce.basicAccessKey;
      },
      get privateKey() {
        return produce.privateKey;
      },
      get allowInsecureIdp() {
        return idp.allowInsecure;
      },
    },
    get secretKeys() {
      return secrets.keys;
    },
    get adminToken() {
      return admin.token;
    },
    get idpTimeoutMs() {
      return idp.timeoutMs;
    },
  };
}

/**
 * The console's front-end files: the style sheet (src/console/style.ts) and the ES modules `npm run
 * build` compiles from console/ into dist/console-ui/ (also when running from src/, as the tests
 * do: both resolve to the package's dist/console-ui/). Only names of our own form are served, read
 * once and kept; nothing outside that directory can be named.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KbError } from '../shared/errors.js';
import { CONSOLE_CSS } from './style.js';

// src/console/ and dist/console/ both sit two levels below the package root.
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../../dist/console-ui/', import.meta.url));

const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#24292f"/><path d="M4 3h2v4l4-4h2.5L8 7.5 12.8 13H10.2L6 8.2V13H4z" fill="#fff"/></svg>';

const MODULE_NAME = /^(?:[a-z0-9-]+\/)*[a-z0-9-]+\.js$/;

export interface Asset {
  type: string;
  body: string;
}

export function createAssets(dir: string = DEFAULT_ASSETS_DIR) {
  const cache = new Map<string, Asset>();
  return {
    /** The asset at `name` (the path under /admin/assets/), or a not_found error. */
    async get(name: string): Promise<Asset> {
      if (name === 'console.css') return { type: 'text/css; charset=utf-8', body: CONSOLE_CSS };
      // Named by the pages, so the browser does not ask for /favicon.ico (a 404 in its console).
      if (name === 'favicon.svg') return { type: 'image/svg+xml', body: FAVICON };
      if (!MODULE_NAME.test(name)) throw new KbError('not_found', `no console asset ${JSON.stringify(name)}`);
      const hit = cache.get(name);
      if (hit) return hit;
      let body: string;
      try {
        body = await readFile(path.join(dir, name), 'utf8');
      } catch {
        throw new KbError('not_found', `console asset ${name} is missing: build the console with npm run build`);
      }
      const asset = { type: 'text/javascript; charset=utf-8', body };
      cache.set(name, asset);
      return asset;
    },
  };
}

export type Assets = ReturnType<typeof createAssets>;

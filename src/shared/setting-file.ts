import { KbError } from './errors.js';

/**
 * Reads a file a setting names, failing with one line that names the setting:
 * `OIDC_CLIENTS_FILE: config/clients.json does not exist`.
 */
export function readSettingFile(variable: string, path: string, readFile: (p: string) => string): string {
  try {
    return readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new KbError('config_invalid', `${variable}: ${code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path} (${code ?? 'error'})`}`);
  }
}

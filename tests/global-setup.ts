/** Installs the Debian tools the tests use, once, before any test file runs. */
import { installMissing, TOOLS } from './helpers/system-tools.ts';

export default function setup(): void {
  installMissing(Object.values(TOOLS));
}

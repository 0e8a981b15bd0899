/** Opens a URL in the system browser without a shell; resolves false when no browser could be started. */
import { execFile } from 'node:child_process';

/** Starts the system browser on `url` (https, or http on loopback, checked by the caller). */
export function launchBrowser(url: string): Promise<boolean> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    try {
      const child = execFile(command, args as string[], { windowsHide: true }, (error) => resolve(!error));
      child.unref();
    } catch {
      resolve(false);
    }
  });
}

/**
 * Opening a URL in the system browser, without a shell. node:child_process is imported when first
 * needed, not with `mcpkit/node` (a stdio server never opens a browser).
 */

/**
 * Starts the system browser on `url` (`open`, `xdg-open`, or the Windows URL handler; never a
 * shell); resolves false when none could be started. The caller checks the URL (https, or http on
 * loopback).
 */
export async function launchBrowser(url: string): Promise<boolean> {
  const { execFile } = await import('node:child_process');
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

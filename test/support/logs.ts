/**
 * Captures what the logger writes, one parsed JSON object per line. Powertools prints INFO and
 * below on stdout and WARN/ERROR on stderr (both end up in CloudWatch), so both are captured.
 */
export function captureOutput(): { lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(record);
  jest.spyOn(process.stderr, 'write').mockImplementation(record);
  const raw = () => chunks.join('');
  return {
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}


/**
 * A one-line spinner on stderr for slow steps (RSA 4096 generation can take seconds). Only on a
 * TTY: logs and pipes get nothing.
 */
export function startSpinner(stream: NodeJS.WriteStream, text: string): () => void {
  if (!stream.isTTY) return () => undefined;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let index = 0;
  const draw = () => {
    stream.write(`\r${frames[index++ % frames.length]} ${text}`);
  };
  draw();
  const timer = setInterval(draw, 80);
  return () => {
    clearInterval(timer);
    stream.write(`\r${' '.repeat(text.length + 2)}\r`);
  };
}

/** Saves text as a file through the browser (the CSV exports): a Blob URL and a temporary link. */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  // A BOM so Excel opens UTF-8 Chinese text correctly.
  const blob = new Blob([type.startsWith('text/csv') && !text.startsWith('\ufeff') ? `\ufeff${text}` : text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves text as a file the browser downloads (a Blob behind a temporary object URL, released once the click is done). */
export function downloadText(text: string, fileName: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is released on the next task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

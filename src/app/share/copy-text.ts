// Copy text to the clipboard; false when the browser refuses (no permission, insecure context, old browser),
// so the caller can fall back to a selected read-only input the user copies from.
export async function copyText(text: string): Promise<boolean> {
  try {
    if (typeof navigator === 'undefined' || !navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

// Shown when the page's share link could not be opened (the default run is loaded instead).
// (Owned by the share work: the custom-code consent prompt also lives here.)
import { useStore } from '../store.ts';

export function ShareLinkNotice() {
  const error = useStore((s) => s.shareError);
  if (!error) return null;
  return (
    <p className="share-error" role="alert">
      This share link could not be opened: {error}. The default run is loaded instead.
    </p>
  );
}

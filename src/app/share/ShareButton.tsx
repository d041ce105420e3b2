// Placeholder: replaced by the share work.
export function ShareButton() {
  return null;
}

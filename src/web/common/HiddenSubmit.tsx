/** An off-screen submit button so that Enter submits a form with several fields (implicit submission). */
export function HiddenSubmit() {
  return (
    <button
      type="submit"
      tabIndex={-1}
      aria-hidden="true"
      style={{ position: 'absolute', left: -9999, width: 1, height: 1, overflow: 'hidden', opacity: 0 }}
    />
  );
}

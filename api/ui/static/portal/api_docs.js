// The API Wiki and Docs (/portal/docs) is rendered by the server; this module only gives its
// examples their Copy buttons, which stay hidden when JavaScript does not run.

async function copy(button) {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  for (const other of document.querySelectorAll(".api-docs .copy-status")) {
    other.textContent = "";
  }
  try {
    await navigator.clipboard.writeText(source.textContent);
    // A status region: screen readers hear it without focus moving.
    status.textContent = "Copied";
  } catch {
    // No clipboard permission: select the text so the user can press Ctrl+C themselves.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    status.textContent = "Selected: press Ctrl+C to copy";
  }
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", () => copy(button));
  button.hidden = false;
}

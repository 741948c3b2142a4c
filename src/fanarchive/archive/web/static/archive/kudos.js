// Kudos without leaving the page: the form posts with fetch and the "kudos from" line is updated in
// place. Without this script the form posts and the server sends the reader back to #kudos.
(function () {
  "use strict";
  const form = document.querySelector("form[data-kudos]");
  if (!form) { return; }
  const section = form.closest("#kudos");
  const status = form.querySelector(".kudos-status");
  const messages = {
    left: "Thank you for leaving kudos!",
    again: "You have already left kudos here. :)",
  };
  function show(data) {
    const line = section.querySelector(".kudos-from");
    section.querySelector(".kudos-names").textContent = data.names.join(", ");
    let guests = "";
    if (data.guests) {
      guests = (data.names.length ? " and " : "") + data.guests + " guest" + (data.guests === 1 ? "" : "s");
    }
    section.querySelector(".kudos-guests").textContent = guests;
    line.hidden = !data.names.length && !data.guests;
    document.querySelectorAll("[data-kudos-count]").forEach(function (count) {
      count.textContent = data.total.toLocaleString("en");
    });
  }
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.status === 429) {
        const wait = response.headers.get("Retry-After");
        status.textContent = "Too many kudos at once. Try again" + (wait ? " in " + wait + " seconds." : " later.");
        return;
      }
      const data = await response.json();
      if (data.status === "refused") { status.textContent = data.message; return; }
      status.textContent = messages[data.status] || "";
      show(data);
    } catch (error) {
      // The network failed: the plain form still works.
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
})();

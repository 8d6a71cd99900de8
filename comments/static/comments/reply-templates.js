// Admin only: choosing a reply template fills the reply box when it is empty (or, after
// a confirmation, replaces what is there). Without JavaScript, the templates are listed
// on the page and a reply left empty sends the chosen template as it is.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("reply-templates");
  const select = document.getElementById("id_reply_template");
  const reply = document.getElementById("id_reply");
  if (!data || !select || !reply) return;
  const templates = JSON.parse(data.textContent);
  select.addEventListener("change", () => {
    const text = templates[select.value];
    if (!text) return;
    if (reply.value.trim() && !window.confirm("Replace the reply you have written?")) return;
    reply.value = text;
    reply.focus();
  });
});

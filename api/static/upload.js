"use strict";
// Upload progress; without JavaScript the form posts normally.
document.getElementById("upload-form").addEventListener("submit", function (event) {
  event.preventDefault();
  var form = event.target, bar = document.getElementById("upload-progress"), msg = document.getElementById("upload-message");
  var xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  bar.hidden = false;
  xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = 100 * e.loaded / e.total; };
  xhr.onload = function () {
    if (xhr.status >= 200 && xhr.status < 400) { window.location = xhr.responseURL; }
    else { bar.hidden = true; try { msg.textContent = JSON.parse(xhr.responseText).error; } catch (e) { msg.textContent = "Upload refused (" + xhr.status + ")."; } }
  };
  xhr.setRequestHeader("Accept", "application/json");
  xhr.send(new FormData(form));
});

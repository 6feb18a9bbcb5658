// Progressive enhancement only: every page works without it.
// Drag and drop onto the upload zone fills the form's file input.
document.querySelectorAll('.dropzone').forEach(function (zone) {
  var input = zone.querySelector('input[type=file]');
  if (!input) return;
  ['dragenter', 'dragover'].forEach(function (type) {
    zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove('over'); });
  });
  zone.addEventListener('drop', function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      var list = zone.querySelector('.chosen');
      if (list) list.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join(', ');
    }
  });
});
// The language menu applies at once.
var langSwitch = document.getElementById('lang-switch');
if (langSwitch) langSwitch.addEventListener('change', function () { langSwitch.form.submit(); });

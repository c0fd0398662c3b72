// ReDoc's sidebar loads its logo from cdn.redoc.ly, which the CSP (img-src 'self' data:) and a
// machine without internet both refuse. Loaded before ReDoc's bundle, this turns that one
// remote image into an empty one: nothing is requested, nothing is blocked, and ReDoc hides
// the image as it does whenever its logo cannot load.
"use strict";
(() => {
  const REMOTE = "https://cdn.redoc.ly/";
  const offline = (value) => (String(value).startsWith(REMOTE) ? "data:," : value);
  const source = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...source,
    set(value) { source.set.call(this, offline(value)); },
  });
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    const image = this instanceof HTMLImageElement && name.toLowerCase() === "src";
    return setAttribute.call(this, name, image ? offline(value) : value);
  };
})();

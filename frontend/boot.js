// Starts the wasm app. A file rather than an inline script, so the node's and the
// desktop's Content-Security-Policy can forbid inline scripts outright.
import init from './sis_frontend.js';
init();

// Run by the onchange-mongo job each time the healthy mongo instances change: asks the API
// (on loopback) to look mongo up in Consul again and reconnect. Before the API has started
// there is nothing to reconnect, which is fine: it connects when it starts.
'use strict';
const PORT = Number(process.env.PORT || 3000);

fetch(`http://127.0.0.1:${PORT}/-/reconnect`, { method: 'POST' }).then(
  (res) => {
    console.log(`reconnect: the API answered ${res.status}`);
    process.exitCode = res.ok ? 0 : 1;
  },
  (err) => {
    const reason = err.cause?.code ?? err.message;
    console.log(`reconnect: the API is not running yet (${reason}); it connects when it starts`);
  },
);

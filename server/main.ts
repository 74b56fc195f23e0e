// Entry point of `npm start`; the composition root is completed by the foundation work.
console.log('server: not wired yet');

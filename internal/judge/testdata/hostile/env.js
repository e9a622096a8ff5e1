for (const [k, v] of Object.entries(process.env)) console.error(k + "=" + v);
console.log("ok");

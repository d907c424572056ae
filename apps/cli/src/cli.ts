console.log("nnkit");

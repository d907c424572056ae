console.log("peers");

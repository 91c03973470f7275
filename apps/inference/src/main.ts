// Placeholder until the inference service lands (issue 3).
console.log('inference service: not implemented yet');

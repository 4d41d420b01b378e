"""The Lambda handler that the component ships as the function's code."""

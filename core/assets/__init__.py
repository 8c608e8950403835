"""The asset register: store access and the demo assets."""

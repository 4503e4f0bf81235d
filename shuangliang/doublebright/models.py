"""Double Bright: the campaign checklist per union, evidence and print materials."""

"""`python -m fashionnet` runs the same command line as `fashionnet`."""

from fashionnet.cli import main

raise SystemExit(main())

from disclosure.cli import main

raise SystemExit(main())

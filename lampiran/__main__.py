import sys

from lampiran.cli import main

sys.exit(main())

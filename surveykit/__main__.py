"""python -m surveykit"""
import sys

from .cli import main

sys.exit(main())

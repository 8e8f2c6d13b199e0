package distress

// The lexicon, by meaning. Concepts are sets of words that play one part
// in a sentence (the writer, wanting, dying, a means); rules combine them
// with single words into the ways of saying one thing. Words are written
// as people write them and normalized like a message (see normalize.go):
// a word ending in '*' is a stem. The categories are those that
// suicide-prevention guidance names. Every rule has examples in
// testdata/dev.tsv or in the corpus, and the benign guards in
// distress_test.go must stay benign: add both when adding a rule.

// concepts[lang][name] are the words of a concept.
var concepts = map[string]map[string][]string{
	"en": {
		"fp":        {"i", "im", "me", "my", "myself", "ive", "id", "ill", "mine"},
		"want":      {"want", "wanted", "wanna", "wish", "wished", "gonna", "going", "plan", "planning", "thinking", "think", "ready", "need", "tempted", "urge", "considering", "decided", "deserve", "wana", "wnt", "wnna", "tryna", "trying"},
		"die":       {"die", "dead", "disappear", "vanish", "perish", "cease", "dissapear"},
		"live":      {"live", "living", "alive", "exist", "existing", "wake", "breathe", "breathing"},
		"neg":       {"dont", "not", "no", "never", "cant", "cannot", "didnt", "wont", "dnt", "doesnt", "nt"},
		"shverb":    {"cut", "cuts", "cutting", "cuting", "burn", "burning", "burned", "burnt", "scratch*", "stab*", "carv*", "slit*", "slash*"},
		"shself":    {"hurt", "hurts", "hurting", "harm", "harming", "harmed", "hit", "hitting", "punch*", "starv*", "punish*", "injur*", "mutilat*"},
		"shobj":     {"wrist*", "arm", "arms", "thigh*", "veins", "vein"},
		"killv":     {"kill", "killing", "kil", "kiling", "hang", "hanging", "shoot", "poison", "drown", "off", "end", "ending", "suffocate", "strangle", "unalive", "unaliving", "murder"},
		"self":      {"myself", "myslef", "meself"},
		"take":      {"took", "take", "taking", "taken", "swallowed", "swallow", "swallowing", "ate", "downed", "popped", "drank", "overdosed", "gulped", "chugged"},
		"quant":     {"all", "whole", "bunch", "handful", "lot", "lots", "box", "boxes", "bottle", "pack", "packs", "many", "dozens", "dozen", "fistful", "entire", "every", "20", "30", "40", "50", "100"},
		"pills":     {"pills", "pill", "tablets", "meds", "medication", "medications", "medicine", "antidepressants", "painkillers", "paracetamol", "tylenol", "ibuprofen", "sleeping", "insulin", "pils", "xanax", "paracetamols", "aspirin", "advil", "panadol", "tabs"},
		"stand":     {"standing", "sitting", "stand", "sit", "climbed", "im", "am"},
		"height":    {"roof", "rooftop", "ledge", "edge", "bridge", "balcony", "railing", "tracks", "rails", "cliff", "windowsill", "platform", "window", "floor"},
		"high":      {"roof", "rooftop", "ledge", "bridge", "balcony", "building", "cliff", "window", "tower", "floor", "overpass", "skyscraper"},
		"jump":      {"jump", "jumping", "leap", "leaping", "throw", "step", "throwing"},
		"means":     {"gun", "pistol", "rifle", "razor*", "blades", "knife", "poison"},
		"getm":      {"bought", "buy", "holding", "tied", "loaded", "sharpened"},
		"meanshere": {"pills", "tablets", "meds", "rope", "gun", "knife", "blade", "blades", "razor"},
		"burden":    {"burden", "burdens", "burdon", "burdensome"},
		"hopeless":  {"worthless", "pointless", "meaningless", "trapped", "helpless", "doomed", "unlovable", "unwanted", "defeated"},
		"sad":       {"sad", "miserable", "awful", "terrible", "horrible", "depressed", "lonely", "overwhelmed", "stressed", "broken", "hopeless", "numb", "empty", "desperate"},
		"goodbye":   {"goodbye", "goodbyes", "farewell", "bye", "byee"},
		"better":    {"better", "happier", "easier", "fine", "lighter", "cheaper", "richer", "freer", "calmer", "quieter"},
		"deathw":    {"die", "dead", "death", "dying"},
		"relief":    {"relief", "pray", "praying", "wish", "hope", "happier", "peace", "peaceful", "welcome", "mercy", "rather", "easier"},
		"errand":    {"park", "entrance", "gate", "street", "stadium", "square", "mall", "jump", "skipping", "climbing", "game", "games", "toy", "toys", "phone", "eat", "food", "breakfast", "lunch", "morning", "daily", "usual", "headache", "allergy", "allergies", "pressure", "vitamin*", "safe", "allowed", "doctor", "prescribed", "cold", "flu", "register*", "registration*", "signup", "app", "website", "site", "form", "forms", "pay*", "card", "cash", "refund", "tshirt", "shirt", "size", "sizes", "bib", "number", "link", "email", "mail", "medal", "queue", "traffic", "price", "fee", "ticket*", "parking", "waiting", "wait", "next", "sunday", "saturday", "weekend", "info", "information", "pr", "pb", "time", "sneakers", "shoes", "date", "schedule", "password", "login", "chat", "bot", "work", "job", "weather", "rain", "late", "medical", "medic", "tent"},
		"third":     {"son", "daughter", "child", "kid", "kids", "boy", "girl", "children", "sons", "daughters", "he", "she", "his", "her", "school", "group", "teacher", "class", "team", "coach", "our", "brother", "sister", "friend", "husband", "wife"},
		"contrast":  {"but", "though", "however", "yet", "still", "although"},
		"laugh":     {"lol", "lmao", "lmfao", "rofl", "haha*", "hehe*", "jk", "joking", "kidding", "laugh*", "funny", "boredom", "bored", "cringe", "embarrassment", "lmaooo", "xd", "shame", "joy", "happiness", "excitement", "envy"},
		"joke":      {"hill", "hills", "uphill", "km", "kms", "k", "mile", "miles", "race", "races", "marathon*", "halfmarathon", "finish", "training", "workout", "legs", "heat", "sweat*", "run", "running", "10k", "5k", "21k", "42k", "course", "route", "pace", "start", "coffee"},
	},
	"ru": {
		"fp":     {"я", "мне", "меня", "мной", "мною", "себя", "себе", "сам", "сама", "мой", "моя", "мою", "мое", "моей", "моего", "моих", "мои"},
		"want":   {"хочу", "хочется", "хотелось", "хотела", "хотел", "хочеться", "охота", "мечтаю", "думаю", "решила", "решил", "решилась", "решился", "собираюсь", "готова", "готов", "тянет", "пора", "хочтся", "хачу", "хочю", "хотим", "хотится", "желаю", "планирую", "лучше"},
		"die":    {"умереть", "умерет*", "умирать", "помереть", "сдохнуть", "сдохнут*", "подохнуть", "издохнуть", "умерть", "покончить", "покончит*", "повеситься", "утонуть", "утопиться", "разбиться", "отравиться"},
		"deathw": {"умереть", "смерть", "смерти", "умру", "умерла", "умер", "сдохнуть", "сдохну"},
		"relief": {"облегчени*", "молюсь", "мечтаю", "лучше", "легче", "счастье", "избавлени*", "выход", "покой"},
		"dieme":  {"умру", "умираю", "сдохну", "сдохла", "сдох", "умерла", "умер", "помру", "подохну", "исчезну", "умрет", "умираем"},
		"live":   {"жить", "жизнь", "жизни", "существовать", "просыпаться", "проснуться", "жит", "живу", "дышать", "жыть", "житб"},
		"shverb": {"режу", "резать", "резала", "резал", "резался", "резалась", "режусь", "резаться", "порезать", "порежу", "порезала", "порезал", "порезалась", "порезался", "порезы", "порезов", "изрезала", "изрезал",
			"царапаю", "царапать", "расцарапала", "расцарапал", "прижигаю", "прижгла", "кромсаю", "полосую", "вскрыла", "вскрыл", "вскрою", "вскрыть", "вскрываю", "резанула", "порезаться"},
		"shobj":     {"себя", "себе", "руки", "руку", "запястье", "запястья", "вены", "вену", "бедра", "бедро", "кожу", "тело"},
		"take":      {"выпила", "выпил", "выпью", "выпить", "приняла", "принял", "съела", "съел", "сожрала", "проглотила", "проглотил", "наглоталась", "наглотался", "наглотаюсь", "наглотаться", "накопила", "накопил", "припасла"},
		"swallow":   {"наглоталась", "наглотался", "наглотаюсь", "наглотаться", "съела", "съел", "проглотила", "проглотил", "сожрала"},
		"quant":     {"все", "всю", "пачку", "пачки", "упаковку", "упаковки", "много", "кучу", "горсть", "пригоршню", "банку", "блистер", "блистера", "целую", "полпачки", "десять", "двадцать", "20", "30", "50"},
		"pills":     {"таблетки", "таблеток", "таблетку", "таблетками", "таблетос", "таблы", "колеса", "колес", "лекарства", "лекарств", "снотворное", "снотворного", "антидепрессанты", "антидепрессантов", "феназепам", "феназепама", "парацетамол", "парацетамола", "пилюли", "пилюль", "таблеткы", "таблетк*", "парацетамола", "аспирин*", "снотворн*", "феназепам*"},
		"jump":      {"прыгнуть", "прыгну", "спрыгнуть", "спрыгну", "сброситься", "сброшусь", "броситься", "брошусь", "шагнуть", "шагну", "выпрыгнуть", "выпрыгну", "прыгать", "кинуться", "кинусь"},
		"under":     {"прыгнуть", "прыгну", "броситься", "брошусь", "кинуться", "кинусь", "лечь", "лягу", "шагнуть", "шагну"},
		"height":    {"крыши", "крышу", "крыша", "моста", "мост", "окна", "окно", "балкона", "балкон", "этажа", "поезд", "поезда", "электричку", "рельсы", "высоты", "многоэтажки", "обрыва", "скалы"},
		"place":     {"крыше", "мосту", "краю", "подоконнике", "балконе", "рельсах", "обрыве", "крышу", "мост", "карнизе", "перилах"},
		"stand":     {"стою", "сижу", "залезла", "залез", "поднялась", "поднялся", "вышла", "вышел", "нахожусь", "стоя", "сидя", "забралась", "забрался"},
		"means":     {"веревку", "веревка", "веревки", "петлю", "петля", "пистолет", "ружье", "лезвие", "лезвия", "бритву", "бритва", "яд"},
		"getm":      {"купила", "купил", "приготовила", "приготовил", "достала", "достал", "держу", "завязала", "завязал", "привязала", "зарядил", "наточила"},
		"better":    {"лучше", "легче", "проще", "спокойнее", "счастливее", "свободнее", "богаче", "тише"},
		"people":    {"всем", "всех", "семье", "детям", "маме", "мужу", "жене", "родным", "близким", "миру", "людям"},
		"hopeless":  {"бесполезн*", "никчемн*", "ничтожеств*", "неудачниц*", "неудачник*", "безнадежн*", "пустота", "ничтожн*", "тупик*", "ловушк*"},
		"benigninf": {"ждать", "дождаться", "найти", "зайти", "зарегистр*", "регистрир*", "оплат*", "заплатить", "платить", "войти", "попасть", "открыть", "загрузить", "понять", "бежать", "бегать", "пробежать", "прийти", "приехать", "дозвониться", "отправить", "получить", "выбрать", "изменить", "поменять", "записаться", "записать", "ввести", "нажать", "брать", "взять", "купить", "ехать", "идти", "звонить", "писать", "есть", "пить", "спать", "участвовать", "стоять"},
		"sad":       {"плохо", "хреново", "фигово", "паршиво", "тошно", "херово", "хуево", "грустно", "тоскливо", "одиноко", "пусто", "погано", "мерзко", "невыносимо", "ужасно", "отвратительно", "дерьмово"},
		"errand":    {"парк*", "вход*", "ворот*", "улиц*", "стадион*", "площад*", "игр*", "детск*", "скакалк*", "конкурс*", "телефон*", "есть", "поесть", "завтрак*", "утром", "утренн*", "ежедневно", "обычн*", "можно", "голов*", "давлени*", "аллерги*", "бегать", "безопасно", "врач*", "простуд*", "витамин*", "регистрац*", "зарегистр*", "регистрир*", "приложени*", "сайт*", "форм*", "оплат*", "оплач*", "заплат*", "карт*", "налич*", "возврат*", "деньг*", "футболк*", "размер*", "номер*", "ссылк*", "почт*", "письм*", "медал*", "очеред*", "пробк*", "цен*", "стоимост*", "билет*", "парковк*", "ждать", "жду", "ожидан*", "встреч*", "увидимся", "воскресен*", "суббот*", "выходн*", "кроссовк*", "дат*", "расписан*", "парол*", "чат*", "бот", "бота", "боту", "ботом", "боте", "работ*", "погод*", "дожд*", "опозда*", "позже", "приду", "прийти", "приехать", "регистрацию"},
		"third":     {"сын*", "дочь", "дочк*", "дочер*", "ребен*", "дет*", "мальчик*", "девочк*", "он", "она", "ему", "ей", "его", "ее", "школ*", "групп*", "класс*", "учител*", "тренер*", "наш*", "брат*", "сестр*", "муж*", "жена", "жене"},
		"contrast":  {"но", "однако", "а", "зато", "хотя"},
		"laugh":     {"лол", "ахах*", "хаха*", "хах", "ржу", "ржака", "ору", "шучу", "шутка", "смех*", "смеш*", "смеял*", "смеюсь", "скуки", "скука", "любопытства", "стыда", "позора", "радости", "счастья", "восторга", "кринжа"},
		"joke":      {"забег*", "забеге", "пробег*", "дистанц*", "марафон*", "полумарафон*", "км", "километр*", "финиш*", "горк*", "подъем*", "жара", "жар*", "тренировк*", "ноги", "бег", "бегу", "бежать", "бежал*", "пробежал*", "добежал*", "бегал*", "пробежк*", "голода", "усталости", "старт*", "кофе"},
	},
	"kk": {
		"fp":         {"мен", "маған", "мені", "менің", "өзім", "өзімді", "өзіме", "өзімнің", "өзімнен", "менде", "менен", "өзімде"},
		"wantv":      {"келеді", "келед*", "келіп", "кеп", "келді", "келдi", "келетін", "келуде", "келет*", "келе", "кеоеди", "келеди", "келип"},
		"kkwish":     {"өлсем", "оянбасам", "оянбай", "жоғалсам", "болмасам", "тумасам", "туылмасам", "құрысам", "өлсемші"},
		"shverbstem": {"кес*", "тіл*", "қанатып", "қанаттым", "қидым", "қиямын", "қиып", "жарала*", "жарақатта*", "ауырт*", "күйдір*", "тырна*", "ұрамын", "ұрғым", "қинағым", "қинаймын"},
		"dieg":       {"өлгім", "өлгим", "өлгiм", "улгим", "олгім", "өлгүм", "өлгым"},
		"shobj":      {"қолымды", "білегімді", "білегім", "тамырымды", "тамырым", "венамды", "венам", "өзімді", "денемді", "терімді", "қолдарымды"},
		"shverb":     {"тілдім", "тілемін", "тіліп", "тілгім", "тілем", "тілейін", "кестім", "кесемін", "кесіп", "кескім", "кесем", "кесейін", "жарақаттадым", "жарақаттаймын", "жарақаттап", "күйдірдім", "күйдіремін", "тырнадым", "тырнаймын"},
		"quant":      {"көп", "бәрін", "бәрiн", "түгел", "уыс", "қорап", "пачка", "пачкасын", "барлығын", "барлық", "бүкіл", "толық", "қорабын", "10", "20", "30", "50"},
		"pills":      {"дәрі", "дәрі*", "таблетка*", "таблеткі*", "таблетки", "таблеткаларды", "дәрілерді", "дәрінің", "ұйықтататын", "антидепрессант*", "таблетк*", "ұйықтататын"},
		"take":       {"іштім", "ішіп", "жұттым", "ішем", "ішемін", "ішкім", "жұтып", "жұтамын", "ішейін"},
		"height":     {"көпірден", "шатырдан", "терезеден", "балконнан", "қабаттан", "биіктен", "үйдің", "жартастан", "көпір", "шатыр", "терезе", "қабатынан", "қабаттан", "көпiрден", "төбесінен"},
		"jump":       {"секір*", "құлағым", "құласам", "ырғы*"},
		"place":      {"шатырда", "көпірде", "көпірдің", "шатырдың", "балконда", "терезенің", "шетінде", "жиегінде", "төбесінде", "рельсте", "рельс"},
		"stand":      {"тұрмын", "отырмын", "тұрып", "отырып", "тұрамын", "отырамын", "шықтым", "шығып", "келдім"},
		"means":      {"арқан*", "тапанша*", "мылтық*", "пышақ*", "лезвие", "улы"},
		"getm":       {"сатып", "дайындадым", "дайындап", "ұстап", "байладым"},
		"better":     {"жақсы", "жеңіл", "жеңілірек", "оңай", "тыныш", "бақытты", "жақсырақ", "дұрыс", "оңайырақ", "жеңілде*", "оңайла*", "жақсарар", "жеңілдер"},
		"errand":     {"саябақ*", "кіреберіс*", "қақпа*", "көше*", "стадион*", "алаң*", "ойын*", "тарту", "телефон*", "тамақ*", "таңертең", "күнде", "бола", "бас", "басым", "қысым*", "аллерги*", "алдында", "кейін", "дәрігер*", "витамин*", "суық*", "тұмау*", "тірке*", "қосымша*", "сайт*", "форма*", "төле*", "төлем*", "карта*", "ақша*", "футболка*", "өлшем*", "нөмір*", "сілтеме*", "пошта*", "хат", "медаль*", "кезек*", "кептеліс*", "баға*", "бағасы", "билет*", "тұрақ*", "күт*", "көріс*", "жексенбі*", "сенбі*", "демалыс*", "кроссовка*", "күні", "кесте*", "құпиясөз*", "чат*", "бот", "ботқа", "боттың", "ботпен", "боттан", "ботта", "жұмыс*", "ауа", "жаңбыр*", "кешік*", "орын", "орындар", "дейін", "кездескенше", "ертеңге", "келесі", "көрісеміз", "кездесеміз*"},
		"third":      {"ұл*", "қыз*", "бала*", "ол", "оған", "оның", "мектеп*", "топ*", "сынып*", "мұғалім*", "жаттықтырушы*", "күйеу*", "әйел*", "аға*", "апа*", "іні*", "сіңлі*"},
		"contrast":   {"бірақ", "алайда", "дегенмен"},
		"laugh":      {"хаха*", "ахах*", "күлкі*", "күлді*", "күлем*", "күлкіден", "әзіл*", "лол", "ржу", "ор", "ұяттан", "ұялғаннан", "қуаныштан", "шаршағаннан", "қызғаныштан"},
		"joke":       {"жүгір*", "жарыс*", "марафон*", "қашықтық*", "шақырым*", "км", "мәре*", "ыстық*", "аптап*", "жаттығу*"},
	},
}

// negations[lang] turn a rule around when right before its first word:
// "I don't want to die" is not "want to die".
var negations = map[string][]string{
	"en": {"dont", "not", "never", "doesnt", "didnt", "wont", "wouldnt", "dnt", "isnt", "arent"},
	"ru": {"не", "ни", "никогда", "нет"},
	"kk": {},
}

// specs are the rules by language, level and category.
var specs = []spec{
	// --- English ---
	{"en", Crisis, "suicidal", []string{
		"suicid* !sprint*|drill*|drils|runs|lines|squad*|shuttle*|hill*", "=kms", "=kms fr", "@high|death|void|edge|rope is|keeps calling me", "@fp should|shud @die", "sucid*", "@want kms", "gonna kms", "suicd*", "siucid*", "suiced*", "suisid*", "@killv @self", "kill|killing|kil|kiling|hang|shoot my self", "kill|killing|hang|shoot my own self",
		"end|ending|take|taking my life", "end|ending|take|taking my own life", "end|ending it all",
		"@want end|ending it|things|everything", "?im|am ending it", "ending it tonight|today|all", "?tonight is the night", "@fp know how (id|i would|ill|i will) do it", "?(thought|thinking|planned|figured|decided) how (i would|id|ill|i will|to) do it", "end|ending my existence", "commit suicide", "@want not exist", "@want not (be alive|be here|live|wake up)", "%&wrote|written|left|writing note|letter ready|goodbye|sorry|forgive|tonight", "&engine|exhaust garage|hose",
		"?@fp think* about|of killing", "thoughts of killing", "thoughts of ending", "thinking of ending", "~suicidal thoughts",
		"?wants to die|disappear", "?wants|wanted|trying|tried|threatens|threatening to kill himself|herself|themselves", "kill himself|herself|themselves", "killed himself|herself", "unalive*", "sewerslide*", "sewer slide*", "self delete", "selfdelete", "self deleting", "@want ctb", "take my own", "use|using|turn|turning it|them|this on myself|me", "&@means using|use|it on myself",
	}},
	{"en", Crisis, "wish_to_die", []string{
		"?@want @die", "?@want be dead", "@neg see myself @live|here|around|alive", "cant see myself @live|here|around|alive", "wish i was|were (dead|gone|never born)", "wish i wasnt|werent born|alive|here|around",
		"wish i had never been born", "wish i never woke up", "wish i could sleep forever",
		"better off dead", "rather be dead", "?rather die", "@want to be gone", "wanna be gone", "@neg @want @live", "@neg @want @live alive|anymore|here|up|on",
		"@neg @want be here|alive|around|anymore", "no reason|point @live", "no reason to (live|go on|keep going|stay alive)", "no (strength|energy) to (@live|go on|keep going)", "nothing to live for", "no point in (living|going on)",
		"tired of (living|life|being alive|existing)", "sick of (living|life|being alive)", "done with life|living",
		"life (is not|isnt|aint) worth", "not worth living", "dont want to wake up", "hope i dont wake up", "hope i die", "if|wish|hope i didnt|never|wouldnt|dont wake", "easier|better if i (died|wasnt here|was gone|disappeared)", "wish|hope|want|wanna|pray not|never wake",
		"want to go to sleep and never", "sleep and never wake", "sleep and not wake", "asleep and not|never wake", "made up my mind to (end it|die|kill myself|do it)", "want to disappear", "why am i still alive", "why am i alive",
		"why should i live", "why do i even exist", "why do i exist", "want to stop existing", "want to stop living", "want to stop breathing",
		"stop existing", "want out of life", "my life (needs to|has to|should|must|is going to) end", "@want be with my dead|late", "?rest forever", "eternal rest|sleep", "had enough of (this life|life|living|being alive)", "end|ending|stop my suffering|misery", "@neg @want be on this earth|planet|world", "?&ways|way|how|method*|painless die|suicide|overdose|od", "painless way|death", "%how many pills", "%?&@deathw @relief", "(drive|crash|steer|driving|crashing) my|the car into|off a|the wall|tree|bridge|road|cliff", "(crash|crashing|drive|driving) into a|the wall|tree on purpose", "&gun|rifle|pistol|knife|rope|pills thinking|think about it|using", "cease to exist", "feel like ending (it|everything|my life|it all)", "hate being alive|living", "hate my existence", "?@want sleep forever|permanently", "?sleep forever", "=i want out", "i just want out", "(wont|will not|dont think ill|dont think i will) (make it|survive|last) (through the night|till morning|until morning|to morning|to tomorrow|the night)", "?&think*|thinking dying|death|suicide|killing", "?feel like dying", "?feel like i want to die", "@want my life to end|stop", "my life to be over", "(not going to|not gonna|wont) be (here|around) (much longer|for long|anymore)", "@neg see the|a|any point in|of living|life|existing|going", "?help im dying", "?help me im dying",
	}},
	{"en", Crisis, "self_harm", []string{
		"@shverb @shobj", "@shverb myself|meself", "@shself myself|meself", "~self harm*", "~selfharm*", "~self injur*", "~self mutilat*",
		"cut|cutting|cuted again", "&bleeding|blood cut|cuts|cutting|wrist*", "cut too deep", "?&voices hurt|kill|cut|harm myself|me", "sh again", "relapsed sh", "=sh", "relaps* on|into (self harm*|selfharm*|cutting|sh)", "&relaps* self harm*|selfharm*|cutting", "@fp keep|kept|still|started|been|am cutting|cuting|harming", "started cutting|cuting", "cut deeper", "cuts on my wrist*|arm*", "blood on my wrist*|arm*",
		"burned myself", "harm my self", "hurt my self", "cut my self",
	}},
	{"en", Crisis, "burden", []string{
		"&@fp @burden", "better off without me|us", "@better without me",
		"@better if i (wasnt|werent|was not|were not|was gone|were gone|was dead|was never|were never|didnt exist|disappeared|died|vanished|went away|left forever)", "@better if im (gone|dead|not here|not around)",
		"(no one|nobody|noone|no1) would miss|notice|care|cry", "care|miss|notice|cry if i (died|disappeared|was gone|were gone|killed myself|wasnt here)", "no one will miss|notice", "nobody will miss|notice",
		"wont miss me", "wouldnt miss me", "world without me", "just a burden", "a burden on", "better off without me", "dragging|pulling|bringing|holding everyone|everybody|family|them|you down|back",
	}},
	{"en", Crisis, "means", []string{
		"@take @quant @pills", "@take @quant of my @pills", "?overdos* !on", "overdos* on @pills|my|meds|drugs|heroin|something|purpose", "an od", "going to od", "gonna od", "want to od",
		"%?@stand on|onto|at the|a @height", "%?@stand on|onto|at @height", "on the edge of a|the roof|bridge|building",
		"jump|jumping|leap|leaping off|from @high", "@jump myself off|from", "?&@want jump @high|train|trains|station|tracks|metro|platform", "?&@meanshere take|swallow|swallowing|taking all|them|everything", "@jump in front of a|the train|bus|truck|car|metro", "under a|the train",
		"tied|tie|made|make|making|tying a noose", "noose around my neck", "&@getm gun|pistol|razor|blades", "rope ready", "rope around my neck", "tied a rope", "%?bought|buy|got a rope", "@means|pills ready|prepared|loaded|waiting", "gun to my head", "@meanshere right here", "%@meanshere in my hand|hands", "@meanshere in front of me", "@meanshere next to me",
		"going|gonna|about|want|wanna|ready to take @quant @pills", "stockpil* @pills", "saved up @pills", "hoarding @pills", "(saving|saving up|collecting|hoarding|stockpiling|keeping|saved up|stashing|stashed) @pills",
		"drink bleach", "drank bleach", "@take bleach", "slit my", "hang myself", "tied a rope",
	}},
	{"en", Possible, "means", []string{
		"swallowed|downed|popped @pills", "%took|taken @pills", "%&@getm @means", "stockpil*", "everyone hates me",
	}},
	{"en", Crisis, "farewell", []string{
		"by the time you read this", "when you read this i", "final goodbye", "last goodbye", "goodbye forever", "goodbye cruel world",
		"goodbye note|letter", "this is goodbye", "leaving this world",
		"wont be here much longer|anymore", "wont be around much longer|anymore",
	}},
	{"en", Possible, "farewell", []string{
		"=goodbye", "=farewell", "=goodbye everyone", "@goodbye everyone|everybody|all|world|forever|friends|guys", "say goodbye to everyone|everybody",
		"this is my last message|words|post", "my final message|words", "last words",
		"&@goodbye letter*|note|family|forgive|sorry|everything|forever|everyone", "wrote|written|writing|left letter*|note*|goodbye* to|for my family|kids|children|mom|mum|parents|wife|husband", "sorry for everything", "forgive me for everything", "forgive me everyone", "thank* for everything goodbye|bye|farewell",
		"thank you for everything and goodbye", "tell my mom|mum|dad|family|kids|wife|husband|son|daughter|parents i love", "i love you all goodbye",
		"giving|give|gave away my things|stuff|belongings|possessions|cat|dog", "wrote|writing|made|make my will", "wont be a problem|burden anymore",
		"you wont hear from me again", "life is pain|suffering|torture|misery|agony", "lost its|all meaning", "(dont|do not) look for me", "said|saying my goodbyes|goodbye", "nothing to look forward to", "life has no meaning|purpose|point", "when|after im not here|around", "when|after i am not here|around", "(dont|do not) (be sad|cry) (when|after|for me)", "never see me again", "wont see me again", "(take care of|look after) my (kids|children|family|dog|cat|son|daughter) (when|after) (im gone|i am gone|im dead|i die)",
		"im leaving forever", "everyone would be better off", "everybody would be better off", "family would be better off", "when|after im gone|dead", "when|after i am gone|dead", "when i die",
		"&@goodbye|bye everything|forgive|sorry", "afraid|scared|worried i (will|might|could|ll) (do something|hurt myself|harm myself)", "afraid|scared of myself", "dont trust myself",
	}},
	{"en", Possible, "hopeless", []string{
		"?cant|cannot go on", "?can not go on", "?cant|cannot do this anymore", "?cant|cannot take it|this|anymore", "?can not take it|this|anymore",
		"?cant do it anymore", "?(cant|cannot) (do this|do it|take it|take this|go on|live like this) (no more|any longer|anymore)", "=(i dont|dont|i cant|cant|i do not) see the point", "(i dont|dont|i cant|cant) see the point anymore", "=no one cares", "=nobody cares", "=noone cares", "=no1 cares", "?cant anymore", "cant keep going", "cant live like", "cant live with", "=whats the use", "=what is the use", "whats the use anymore", "@neg want to try anymore", "nothing left for me", "i give up !on|trying|registering|with", "lost all hope", "hope is gone", "(dont|do not) want to see (anyone|anybody|people)", "(wanted|want|wanna|just) to say goodbye", "(this will be|this is|its) my last (message|text|words)", "cant handle life", "cant handle anything|it|this anymore",
		"=no point", "no point (anymore|any more|in anything|trying|to anything|to life|in going on|in trying)", "whats the point (of any of it|of all this|of all of this|of it all|anymore|of anything|of trying|of me|of life|in living|of living|in anything|of going on|in going on|of continuing)", "(cant|dont|cannot) see any|the light",
		"what is the point of (anything|living|life|trying|it all|me)", "=whats the point", "=whats even the point", "=what is even the point", "=whats the point even", "=what is the point", "pointless", "^hopeless !about|for|at", "no hope", "relaps*", "months|weeks|days clean", "lost all hope", "lost hope",
		"no way out", "no future !date|dates|race|races|events|plans", "see no future", "dont see a future", "nothing (will change|will ever change|ever changes|gets better|will get better)", "(never gets|never get|wont get|will never get) better",
		"give up on everything|life|myself|living", "giving up on everything|life|myself", "=i give up", "i just give up", "i give up on (everything|life|myself|living|me)",
		"done with (everything|it all|this life|all of this|all this|life|living)", "?im so done", "?im just done",
		"?tired of (everything|it all|all of it|fighting|being here|pretending|being me|myself|being tired)", "(cant|cannot) keep (pretending|fighting|doing this)", "everything is (too much|too hard)", "and im done",
		"exhausted of everything|life", "nothing matters !more|most", "nothing matters anymore", "everything is pointless|hopeless|meaningless|dark",
		"life is (pointless|meaningless|hopeless|worthless|too hard|unbearable|hell|a nightmare)", "my life is over|ruined|pointless|worthless|meaningless",
		"&@fp @hopeless", "feel|im|am useless", "i am a failure", "im a failure", "im such a failure", "i hate my life", "hate my life", "hate myself", "i hate me",
		"nobody|noone cares about me", "nobody|noone|no1 cares", "&love all|everyone remember|goodbye|forgive|sorry|forever", "no one cares about me", "nobody|noone needs|loves me", "no one needs|loves me", "no way forward",
		"=cant go on", "i feel like giving up", "?%(im going to|im gonna|i will|ill|i want to|i wanna) jump !in|on|into|the|over|up|around|for|with|at|rope|queue|a|my|to|and|right", "@want cut|cutting !my|the|hair|it|out|down|in|off|back|class|school|sugar|carbs", "nothing (feels|is|seems) worth it", "not worth it anymore", "(dont|cant|cannot) see a way (forward|out)", "live or die", "feel nothing (anymore|at all)", "just existing", "existing not living", "&knife|blade|razor wrist*|throat|vein*", "hope|wish|pray something|someone|car|bus|truck|train kills|kill|hits|hit me", "had enough of (everything|it all)", "beyond repair", "@neg see myself in the future", "?thinking of|about jumping", "?@neg want to do this anymore", "waste of space|oxygen", "?done trying", "ready to give up", "just want it to stop", "want it all to stop|end", "want everything to stop|end",
		"want the pain to stop|end", "make it stop", "its all too much", "cant breathe anymore", "dark thoughts", "bad thoughts", "intrusive thoughts",
		"at the end of my rope|tether", "?at my limit", "trapped", "want to sleep forever", "?want it to be over", "?want this to be over",
	}},
	{"en", Help, "help", []string{
		"^~psycholog*", "^~psychiatr*", "^~psychotherap*", "^~therap*", "^~counsel*", "need|want|looking|find|recommend|talk|see|speak psycholog*|psychiatr*|therapist*|counsel*|psychotherap*", "~anxiety", "~anxious !to|about", "~depress*", "~mental health", "~mental illness",
		"~panic attack*", "~panic attac*", "=panic", "im panicking", "panicking all", "~burnout", "burn* out", "cant cope", "cannot cope",
		"can not cope", "not coping", "cant handle", "im not ok*", "i am not ok*", "=not ok*", "im not okay", "not doing well", "not doing ok*", "not fine",
		"feel lonel*", "feel empty", "feel terrible", "feel awful", "feel so bad", "~overwhelm*", "feel* @sad", "im @sad", "im so @sad", "im really @sad",
		"im feeling @sad", "i am so @sad", "been @sad", "so @sad lately", "so alone", "all alone", "feel alone",
		"need someone to talk", "need to talk to (someone|somebody|a person|a human)", "someone to talk to", "talk to someone|somebody",
		"need support", "=support", "get support", "find support", "emotional support", "mental health support", "mental health help",
		"where to turn", "who to turn", "helpline*", "hotline*", "~autism support", "support for autis*", "support group*", "parent support", "support for parents|families",
		"where to get support", "where can i get support|advice", "where can i find support", "get help for my son|daughter|child|kid",
		"help for parents|families", "support for my family", "need advice about my son|daughter|child",
		"im|been|really|so struggling", "professional help", "having a hard time", "hard time lately", "no energy for|to anything", "failing my son|daughter|kids|child|family|children", "~scared|afraid|anxious all the time|constantly", "nerves are shot|shattered|gone", "~nightmares", "~flashbacks", "?im drowning", "feel* like im drowning|suffocating", "~&autis* parents|families|mom|mothers|moms|dads help|support", "not in a good place", "&mentally|emotionally bad|struggling|drained|exhausted|hard|tough|unwell|broken", "not doing (great|good|too good|so good|so well|well)", "someone|anyone i can talk to", "somebody i can talk to", "~feel* isolated", "~so isolated", "feel*|feeling down|low", "no friends", "getting to me", "lie|lying|laying awake", "havent slept", "cant sleep worr*|thinking|mind|night*", "mind wont stop", "racing thoughts", "help not with", "help with me", "help for myself", "nothing makes me happy", "dont enjoy anything", "cant enjoy anything", "~&worr* all the time|constantly|every night|sick", "~anhedonia", "struggling with my son|daughter|child|kid|mental|life|everything|depression|anxiety|myself", "breaking down", "~breakdown", "nervous breakdown", "falling apart", "cant stop crying", "~crying all|every",
		"~cry every|all", "crying myself to sleep", "cry myself to sleep", "stressed out", "so stressed", "~stress", "cant sleep at night", "~insomnia", "~ptsd", "~trauma*",
		"~ocd", "~bipolar", "~eating disorder", "~grief", "grieving", "failing as a mom|mother|parent|dad|father", "bad mother|mom|parent|father",
		"~&diagnos* autism|autistic|asd", "~&autism|autistic meltdown*|support|advice|diagnos*|centre|center|therapy", "~meltdown*", "~respite",
		"at my wits end", "wits end", "losing my mind", "going crazy", "i feel lost", "feel* lost",
		"no one to talk", "nobody to talk", "noone to talk", "no one understands|helps", "nobody understands|helps", "feel like a failure", "i am a failure",
		"exhausted caring", "tired of caring", "cant do it alone", "cant do this alone", "dont know what to do with my son|daughter|child|life|myself",
		"dont know how to cope|help my", "need a professional", "lonely",
	}},
	// seek: an explicit request for advice or for someone to turn to.
	// Where a message's only crisis signal is hopelessness ("у меня
	// больше нет сил") and it asks this, it gets the support answer.
	{"en", Help, "seek", []string{
		"where to turn", "who to turn", "where to get support|help|advice", "where can i get support|advice", "need advice", "any advice", "advice please",
		"recommend a|any psycholog*|therapist*|counsel*", "~support group*", "who can i talk to", "need to talk to (someone|a professional|a psychologist)",
	}},
	{"en", None, "signal", []string{
		"die", "dying", "dead", "death", "kill", "killing", "hurt", "hurting", "pain", "cry", "crying", "tears", "exhausted",
		"sad", "lonely", "pills", "overdose", "goodbye", "farewell", "forgive", "hopeless", "worthless", "suffering", "alive",
		"blood", "rope", "gun", "knife", "razor", "cant go on", "give up", "no point", "tired of",
	}},

	// --- Russian ---
	{"ru", Crisis, "suicidal", []string{
		"суицид* !спринт*|дрил*|забег*|ранс", "самоубий*", "самоубиств*", "суецид*", "сиуцид*", "суисид*", "покончи* с собой|жизнью", "покончу с собой|жизнью", "покончить с собой",
		"кончить с собой", "свести|свожу|сведу|свела счеты", "счеты с жизнью", "наложить|наложу|наложила руки", "руки на себя", "на себя руки",
		"убить|убью|убиваю|убила|убил|убивать себя", "себя убить|убью|убила", "повешусь", "повеситься", "повесилась", "повесился", "вешаться", "вешаюсь", "повешаюсь",
		"удавиться", "удавлюсь", "выпилиться", "выпилюсь", "выпилилась", "выпилился", "самовыпил*", "вскрыться", "вскроюсь", "роскомнадзор*", "отравлюсь", "отравиться", "отравить себя",
		"уйти|уйду|ушла|уйдет|уход из жизни", "покинуть|покину этот мир|жизнь", "лишить себя жизни", "лишу себя жизни", "застрелиться", "застрелюсь",
		"утопиться", "утоплюсь", "задушить себя", "мысли о смерти|самоубийстве|суициде", "думаю о смерти|самоубийстве|суициде", "?хочет (умереть|сдохнуть|покончить с собой|убить себя)", "не хочет жить", "покончить с собой хочет", "говорит что|что не хочет жить", "&решила|решил|решилась|решился покончу|покончить|оборву|сведу", "сделаю|сделать что с собой", "сделаю|сделать с собой что", "суецидальн*",
		"вскр* вен*", "вены вскр*", "резать вены", "перерезать вены|горло", "порезать вены", "убить себя", "свести счеты",
	}},
	{"ru", Crisis, "wish_to_die", []string{
		"?@want @die", "?@die хоч*|хотел*|охота|мечтаю", "?@want исчезнуть|исчезнут*|испариться|раствориться !с|из|со", "?@want бы @die", "?@want чтобы @die", "хочу|хочется не быть", "лучше бы @fp @dieme", "лучше бы (умер*|сдох*|не родил*|не рождал*|не жил*)",
		"лучше бы меня не (было|стало)", "лучше умереть|сдохнуть", "лучше сдохнуть", "@want чтобы|чтоб меня (не было|не стало|больше не было)",
		"не @want @live", "@live не @want", "@live больше не @want", "не @want больше @live", "не хочу|хочется жить", "жить не хочу|хочется", "не хочу|хочется существовать",
		"не хочу|хочется просыпаться", "не хочу проснуться", "не проснуться", "уснуть и не проснуться", "уснуть|заснуть и не @live", "?заснуть|уснуть|спать навсегда|вечно", "вечным сном", "(не доживу|не переживу) (до утра|до завтра|эту ночь|ночь)", "заснуть и не проснуться", "не хочу|хочется больше жить", "сил жить (нет|не осталось|больше нет)", "(нет|не осталось) сил жить",
		"незачем жить", "жизнь (должна|пора|надо) (закончиться|кончиться)", "(закончила|закончил) с (этой|моей) жизнью", "@want порезаться|резаться", "@want порезать|резать себя", "вечного покоя|сна", "вечный покой|сон", "&хочу к маме|папе|мужу|сыну|дочке|бабушке умер*|погиб*|небе|небо", "хватит (этой жизни|жизни|жить)", "(прекращу|прекратить|покончу|покончить|закончу|закончить) (свои страдания|мои страдания|со страданиями|свои мучения|мучения|страдания)", "не @want быть|жить|оставаться на этом свете", "?&способ*|сколько|как|метод* умереть|покончить|суицид*|отравиться|повеситься", "%сколько таблеток", "незачем просыпаться", "просыпаться незачем", "на тот свет", "(перестать|прекратить) (существовать|жить)", "выйти|выйду из окна", "(нет|не вижу) причин* жить", "не для кого жить", "жить не для кого|незачем", "меня ничего не держит", "здесь ничего не держит", "&как бы покончить", "@want под поезд|электричку|машину", "@live незачем", "жить не за чем", "%?&@deathw @relief", "&разобью|разбить|разбиться|разобьюсь|врежусь|врезаться стену|столб|насмерть|специально", "&ружь*|пистолет*|нож*|веревк*|таблетк* думаю|подумываю этом", "зачем @fp жить", "зачем жить", "зачем я живу", "зачем я родил*", "для чего жить", "ради чего жить", "не для чего жить",
		"(нет|не вижу|потерял*|нету) смысл* @live", "смысл* жить нет", "жизнь не имеет смысла", "жизнь бессмыслен*", "в жизни нет смысла", "жизнь (кончена|закончена|не мила)", "&@live смысл* нет|потерял*|никакого|нету|без|пропал*|утрачен*",
		"устал* (жить|от жизни)", "надоел* жить", "достал* жить", "задолбал* жить", "нет сил жить", "сил нет жить", "сил жить нет", "нет сил больше жить", "не (могу|хочу) больше (жить|существовать)", "не могу так жить",
		"не хочу этой жизни", "хочу чтобы меня не было", "хоч* умерет*", "хоч* сдохн*", "умереть хоч*", "сдохнуть хоч*", "смерти хоч*",
		"жду смерти", "скорей бы умереть", "скорее бы умереть", "поскорее бы умереть", "скорей бы сдохнуть", "хочу в могилу", "?пора умирать",
		"не жилец", "не хочу жить больше",
	}},
	{"ru", Crisis, "self_harm", []string{
		"@shverb @shobj", "@shobj @shverb", "&@shverb опять|снова", "причин* себе боль|вред|боли", "делать|делаю|сделать|сделаю|сделала|сделал себе больно|вред", "~селфхарм*", "~селф харм*",
		"режусь", "резаться", "резалась", "резался", "режу себя", "~самоповрежд*", "наношу|нанесла|нанес себе порезы|раны|удары|вред", "порезы на руках|руке|запястьях|бедрах", "&себя|себе до крови", "расцарапываю себя", "&кров* порез*|вены|запясть*", "порезал* глубоко", "&голоса убить|убей|навредить|порезать|покончить себя|собой", "порезала себя",
		"бью себя", "бьюсь головой", "жгу себя", "тушу сигареты об|о себя",
	}},
	{"ru", Crisis, "burden", []string{
		"без меня @people @better", "без меня будет @better", "без меня @better", "@better без меня", "@better будет без меня", "@people @better без меня",
		"обуз*", "в тягость", "меня не станет @people", "тяну|тащу всех|семью|их на дно|вниз", "&@better исчез*|умерл*|умер|стало если",
		"никто не (заметит|заплачет|будет скучать|вспомнит)", "никто не будет скучать|плакать", "никому не будет дела", "мир без меня",
	}},
	{"ru", Crisis, "means", []string{
		"@take @quant @pills", "@take @pills @quant", "@pills @take @quant", "@quant @pills @take", "наглот* @pills", "@pills в руке|руках", "@pills рядом|под рукой", "рядом|возле @pills", "?(придумала|придумал|продумала|продумал|знаю) как (это сделаю|сделаю|это сделать|сделать это)", "передоз*", "передозиров*", "отравилась таблетками|@pills",
		"%?@stand на @place", "%?я на @place", "?@jump с|из|со @height", "?@jump @height", "@jump в окно|окна|пролет", "выйти|выйду|выйти в окно", "@under под поезд|машину|электричку|колеса|машины|грузовик",
		"&петл* шею", "петлю на шею", "пистолет к голове|виску", "приставила|приставил к виску", "пью яд", "выпила|выпил уксус|яд|отбеливатель",
		"на краю крыши|моста", "&двигатель|мотор|выхлоп* гараж*|шланг*", "у края крыши|моста|окна|обрыва|платформы", "?%(стою|сижу) у края", "коплю|копить|накопила|накопил|собираю|запасаю|запасла @pills", "&тушу|тушила|тушил|тушит* сигарет* себя|себе|руку|руке", "стою у окна", "открыла окно и", "?%с высоты", "спрыгнуть|прыгнуть с крыши|моста|балкона|окна|этажа",
	}},
	{"ru", Possible, "means", []string{
		"@swallow @pills", "%@take @pills", "%&@getm @means", "?наглот*", "лезви*", "бритв*", "петля", "петлю", "мыло и веревк*", "@people будет @better если|когда|без", "@people станет @better",
	}},
	{"ru", Crisis, "farewell", []string{
		"когда вы|ты это прочитаете|прочтете|прочитаешь|прочтешь", "прощайте навсегда", "прощай навсегда", "прощальн* письм*|записк*", "предсмертн*",
		"меня не станет", "когда меня не станет",
	}},
	{"ru", Possible, "farewell", []string{
		"прощайте", "=прощай*", "прощай все|всем|мир|жизнь|навсегда", "прощаюсь (с вами|со всеми|навсегда)", "простите|прости меня за все|всё", "простите за все", "простите|прости меня все|всех", "=простите все", "не поминайте лихом", "не держите зла",
		"это мое последнее сообщение|письмо|слово", "мое последнее сообщение|письмо|слово", "последний раз пишу", "раздаю|раздала|раздал|отдаю|отдала свои|мои вещи",
		"раздаю вещи", "позаботьтесь о моих|моей|моем|маме|детях", "ухожу навсегда", "уйти|уйду навсегда", "?&помогите|спасите умираю|умру", "всех люблю и|прощайте|простите",
		"вы меня больше не увидите", "больше меня не увидите", "спасибо за все и прощайте|простите", "меня больше не будет !в|на|у|дома", "меня скоро не будет !в|на|у|дома", "не будет в живых",
	}},
	{"ru", Possible, "hopeless", []string{
		"?не могу больше !@benigninf", "?больше не могу !@benigninf", "?не могу так больше", "?я так больше не могу", "?не могу уже так", "=не могу", "=не могу больше",
		"сил больше нет", "нет больше сил", "сил нет больше", "=я не вижу смысла", "=не вижу смысла больше", "я больше не вижу смысла", "больше нет сил", "сил нет никаких", "нет сил ни на что", "нет выхода", "выхода нет", "не вижу выхода", "безвыходн*", "тупик",
		"=не вижу смысла", "не вижу смысла (ни в чем|больше|дальше|во всем|продолжать|бороться|стараться)", "не вижу будущего", "нет будущего", "будущего нет", "=смысла нет", "смысла больше нет",
		"=нет смысла", "нет смысла (ни в чем|больше|дальше|во всем|бороться|стараться)", "нет никакого смысла", "все бессмысленно", "все бесполезно",
		"безнадеж*", "безнадег*", "&@fp @hopeless", "?устал* от всего|всех", "устал* от этой", "?надоел* все|всё", "?достал* все|всё", "?задолбал* все", "?все надоело|достало|задолбало",
		"хочу|хочется|чтобы|чтоб все|всё|это закончил*|кончил*|прекратил* !хорошо|благополучно|удачно|нормально|успешно|вовремя", "пусть все|всё|это закончится|кончится|прекратится", "ничего не изменится", "ничего не поможет", "мне ничего не поможет",
		"я на грани !срыва|нервного", "?на грани !срыва|нервного", "?на пределе", "я сдаюсь", "=сдаюсь", "ненавижу (себя|свою жизнь|жизнь|мою жизнь)", "ненавижу эту жизнь", "я никому не нуж*",
		"никому не нуж*", "никто меня не любит", "я лишняя|лишний", "я всем мешаю", "всем мешаю", "мешаю всем", "все кончено",
		"жизнь кончилась", "жизнь разрушена", "моя жизнь ад", "жизнь ад", "живу в аду", "не знаю как жить дальше", "как жить дальше",
		"не вижу света", "темно внутри", "(нет|никакого|не вижу) просвета", "жизнь боль|мука|мучение|страдани*|ад|пытка", "&передайте|скажите маме|папе|детям|мужу|жене|сыну|дочке|родным люблю", "не ищите меня", "?%я прыгну !в|на|через|за|до|от|и", "?%я спрыгну !в|на|с|и", "ничего не имеет значения|смысла", "не вижу пути", "боюсь что сделаю|натворю", "нечего ждать", "ничего не жду от жизни", "жить или умереть|умирать", "ничего не чувствую", "просто существую", "существую а не живу", "&нож*|лезви*|бритв* запясть*|вен*|горл*", "&сбил*|переехал* машина|поезд|автобус хоть|чтобы|чтоб|мечтаю|хочу", "@want|чтобы|чтоб боль закончил*|прекратил*|кончил*", "с меня хватит", "меня не (починить|собрать)", "я сломана|сломан|сломлена|сломлен|разбита", "надежды (нет|не осталось|больше нет)", "нет (надежды|никакой надежды)", "не осталось сил", "никого не хочу видеть|слышать", "последнее что (я пишу|пишу)", "пишу (в последний раз|последний раз)", "не вижу себя в будущем", "ненавижу (все|всё) в (своей|моей) жизни", "ненавижу все", "&люблю всех|вас помните|прощайте|простите|навсегда", "как бы все|всё закончить|прекратить", "&решил* сегодня|ночью|скоро закончится|кончится|закончу|кончу", "&попрощат*|попрощаюсь всем|всеми|вами", "хочу|хотела|хотел попрощаться", "&ничего|все|всё смысл* не|нет|потерял*|пропал*", "=зачем все это", "зачем все это нужно", "зачем мне все это", "простите|прости если что", "&пока|прощайте простите|прости", "мне все равно что со мной", "?больше не выдержу", "?не выдержу", "?не вынесу", "?не вывезу",
		"нет больше сил терпеть", "?не выдерживаю", "устал* бороться|сражаться", "(не хочу|нет сил|не могу) бороться", "=я хочу уйти", "=хочу уйти", "=хочу уйти навсегда", "все конец", "всему конец", "мне конец", "конец всему", "?не могу терпеть", "тяжело жить", "@people будет @better без", "(зачем|для чего) продолжать", "когда меня не (будет|станет) !дома|в|на|у|завтра|утром|вечером", "(не грустите|не плачьте) (когда|обо мне|по мне)",
	}},
	{"ru", Help, "help", []string{
		"^~психолог*", "^~психотерапевт*", "^~психиатр*", "^~психотерап*", "нужен|нужна|нужно|хочу|ищу|найти|посоветуйте|поговорить|обратиться|записаться психолог*|психотерап*|психиатр*", "психолог* нужен|нужна|срочно", "~депресси*", "~депрес*", "~тревог*", "~тревож*", "=паника", "~паник*", "~паническ* атак*",
		"~выгоран*", "выгорел*", "не справляюсь", "не справляемся", "не могу справиться", "нет сил", "сил нет", "=мне плохо", "мне очень плохо", "мне так плохо",
		"=мне тяжело", "мне очень тяжело", "мне одиноко", "=одиноко", "одинок*", "чувствую себя одинок*", "чувствую себя ужасно|плохо|пустой|никем", "не знаю куда обратит*",
		"не знаю к кому обратит*", "найти поддержк*", "получить поддержк*", "нужна поддержк*", "=поддержка", "телефон доверия",
		"плачу (каждый день|ночами|постоянно|весь день|всю ночь|не переставая)", "постоянно плачу", "перестать плакать", "поддержк* семей", "поддержк* родител*", "групп* поддержки",
		"мне @sad", "морально|психологически|эмоционально тяжело|плохо|устала|устал|выгорела|истощена|сложно", "&морально|психологически|эмоционально тяжел*|плох*|устал*|истощ*|выгор*|сложн*",
		"не с кем поговорить", "профессиональн* помощ*", "?мне (постоянно|все время|всегда|очень) страшно", "сдают нервы", "?мне очень|так|сейчас трудно", "=мне трудно", "тяжелом состоянии", "?мне тяжело", "как в тумане", "~&диагноз* сын*|доч*|ребен* после|поставили|узнала|тяжело|туман*", "на нервах", "~&нервнича* постоянно|всегда|сильно", "~нервнича* все время", "чувствую пустоту", "пустота внутри", "внутри пусто", "внутри пустота", "ничего не радует", "ничто не радует", "нужно|надо|хочу|хочется с кем поговорить", "не знаю куда (идти|бежать|податься|деваться)", "~&поставили аутизм*|рас|диагноз*", "~&аутизм*|аутист* что делать|куда", "выговорит*", "рыдаю", "реву", "не могу перестать плакать", "~стресс*", "опустились руки", "руки опускаются",
		"нервн* срыв*", "на грани срыва", "нервы сдают", "нервы на пределе", "~апати*", "~бессонниц*", "не сплю ночами", "не могу спать", "срываюсь на",
		"~&аутизм*|аутист*|рас поддержк*|центр*|диагноз*|фонд*|психолог*", "~&диагноз* аутизм*|рас", "нужна помощь психолога",
		"помощь психолога", "психологическ* помощ*", "не знаю что делать с ребенком|сыном|дочерью|собой|жизнью", "не знаю как быть",
		"страшно за себя", "я в отчаянии", "отчаяни*", "тяжело морально", "тяжело одной", "одна не справляюсь", "не вывожу", "опускаются руки",
		"устала от ребенка", "устала быть мамой", "плохая мать", "плохая мама", "никто не понимает", "меня никто не понимает", "не могу успокоиться",
		"~кошмары", "ужасно себя чувствую", "плохо себя чувствую морально", "хреново", "фигово",
	}},
	{"ru", Help, "seek", []string{
		"куда обратиться", "к кому обратиться", "помогите советом", "посоветуйте", "подскажите куда|кому", "нужен совет", "нужна консультация",
		"~групп* поддержки", "нужен|нужна психолог*", "где найти психолог*|поддержк*|помощь",
	}},
	{"ru", None, "signal", []string{
		"умру", "умираю", "умирать", "умереть", "умерла", "смерть", "смерти", "сдохнуть", "сдохну", "убьет", "убить", "убью", "больно", "боль", "слезы", "устала", "устал",
		"грустно", "тоска", "одиноко", "страшно", "прощайте", "прощай", "таблетки", "таблеток", "веревка", "пустота", "ненавижу",
	}},

	// --- Kazakh ---
	{"kk", Crisis, "suicidal", []string{
		"суицид* !спринт*|дрил*|забег*|ранс", "өзімді өлтір*", "өзімді өлтіремін", "?өлгісі келеді|келетінін", "өзін өлтіргісі", "өмір сүргісі келмей*", "өзімді өлтіргім", "өзін өзі өлтір*", "өз өзімді өлтір*", "өзіме қол жұмса*", "өзіме қол сал*",
		"өз өзіме қол", "қол жұмса*", "асылып өл*|кетк*|аламын|алам", "асылғым", "асыламын", "асылып алам", "асылып өлемін", "уланғым", "уланамын",
		"уланып өл*", "өмірімді қию*|қиямын|қиғым|аяқта*|тоқтат*|бітір*", "өмірімді қиғым", "өміріме нүкте", "өзімді құрт*", "өзімді жоқ қыл*|қылғым|қыламын",
		"өлтіргім келеді өзімді", "өзімді өлтірем", "өлтірем өзімді",
	}},
	{"kk", Crisis, "wish_to_die", []string{
		"?@dieg @wantv", "?@dieg !келмей*|келмеи*|келмеди|келмейді", "өліп қалғым|кеткім келед*|келіп", "өлсем екен|деймін|деп|жақсы|болар|ғой", "өлген* жақсы|артық|дұрыс",
		"өмір сүргім келмей*", "өмір сүргім жоқ", "өмір сүргім келмейді", "өмір сүргiм келмей*", "тірі жүргім келмей*", "жасағым келмей*", "тіршілік еткім келмей*",
		"өмірден түңіл*", "&өмір*|тіршілік* қажеті|керегі|мәні|мағынасы|түкке жоқ", "көзімді жой*", "өзіме жара сал*", "?&өлгенде|өлсем жеңілде*|бақытты|жақсы|құтыл*", "өмірім (аяқталуы|бітуі) керек", "өмірмен бітірдім|біттім", "өлуге|өлімге дайын*", "мәңгі|мәңгілік тыныштық*|ұйқы*", "дүниеде болғым|жүргім|тұрғым келмей*", "тумағаным|туылмағаным жақсы|дұрыс|артық", "?&жол*|қалай|қанша|әдіс* өлу*|өлемін|өлтір*|суицид*", "өлудің жол*", "%?&өлім*|өлсем|өлгенім жеңілдік|жақсы|тілеймін|тілеу|құтылу", "машина* соғыл*", "өмірмен қоштас*", "о дүниеге кеткім|кетем*|барғым", "көзім жұмылса екен", "?мәңгі|мәңгілікке ұйықта*", "(таңға|ертеңге) дейін (жетпеймін|шықпаймын)", "таңды көрмеймін", "&шештім бітіремін|аяқтаймын|өлемін|өлтіремін", "маған өмір керек емес", "өмірдің керегі жоқ", "дүниеден|өмірден кеткім|кетем*|кету*|өткім|өтем*", "өмір сүруге|сүрге|өмірге күшім|шамам|дәрменім|құлқым|ынтам жоқ|қалмады", "&@kkwish екен|деймін|шіркін|ғой", "оянбағым", "өзіме бірдеңе (істеп|жасап|істеймін|жасаймын)", "өмірден шарша*", "өмірден без*", "өмірден жалық*", "өмірден тойдым", "өмірден кеткім", "өмірден кету", "өмірден өткім",
		"өмір* мәні жоқ", "өмір* мағынасы жоқ", "өмір сүрудің мәні|мағынасы|қажеті", "өмірдің қажеті жоқ", "өмір сүрудің керегі жоқ", "өмір сүргеннің мәні",
		"?оянғым келмей*", "оянбасам екен|деймін|ғой", "оянбасам", "ертең оянбасам", "жоғалғым келед*", "жоғалып кеткім келед*", "жоқ болғым келед*",
		"жоқ болып кеткім", "болмағым келед*", "тіпті тумасам", "туылмағанда", "туылмасам", "өлімді күтемін", "өлім туралы ойлаймын",
		"өлу туралы ойла*", "өлгенім дұрыс", "өлгенім жақсы", "өле салғым", "өліп кетсем", "өліп кетсем екен", "өлмекшімін",
		"тірі қалғым келмей*", "тірі болғым келмей*", "асып өл*|өлтір*", "соңғы сөзім|сөздерім", "хош болыңдар", "қоштасатын|қоштасар уақыт",
	}},
	{"kk", Crisis, "self_harm", []string{
		"@shobj @shverb !алдым", "@shobj @shverbstem !алдым", "өзімді @shverbstem", "тағы|қайтадан @shobj кес*|тіл*", "&қан кес*|тіл*", "терең кес*|тіл*", "мәңгі*|мәңгілікке кет*|жоғал*", "қолымды кесіп|тіліп жүрмін|тастадым", "өзіме зиян келтір*", "~өзіне зиян келтір*", "өзімді жарақатта*",
		"өзіме ауырсыну", "өзімді ұрамын", "қолымды тілдім", "қолымды тілемін", "тамырымды кес*|тіл*", "венамды кес*|тіл*", "~селфхарм*", "~өзін жарақаттау",
		"тағы да кестім|тілдім", "қайтадан кестім|тілдім",
	}},
	{"kk", Crisis, "burden", []string{
		"менсіз @better", "&менсіз @better", "^мен болмасам @better", "^болмасам @better", "&ауыртпалық* @fp", "&ауыртпалықпын|жүкпін|масқарамын",
		"жүк бол*", "бәріне|барлығына|отбасыма|балаларыма|анама жүк|ауыртпалық*|кедергі*", "ешкім сағынбайды", "ешкім жыламайды", "ешкім байқамайды", "жоқ болсам @better", "%?&жоғалып|жоғалсам|өлсем @better",
	}},
	{"kk", Crisis, "means", []string{
		"&@pills @take @quant", "@quant @pills @take", "таблетка*|дәрі*|дәрілерді жинап|жинадым|жинаймын|жинаған*", "%?&көпірге|шатырға|төбесіне|балконға барып|шығып|келдім тұрмын|отырмын|келдім", "?@height @jump", "%?@place @stand", "поезд* астына", "&қозғалтқыш*|мотор* гараж*", "қасымда|жанымда @pills", "?&бел будым тоқтат*|бітір*|өл*|өлтір*", "&артқа тарт* бәрін|бәрімізді|отбасымды|барлығын", "таблетка*|дәрі* қолымда", "?қалай істейтінімді|жасайтынымды", "машина* астына", "рельске жат*",
		"биіктен секір*", "?&көпір*|шатыр*|терезе*|балкон*|биік*|қабат* секір*|секірем*", "секіргім келед*", "тастағым келед* өзімді", "өзімді тастаймын|тастағым|лақтырамын|лақтырғым", "мойныма арқан|жіп", "арқанды мойн*",
	}},
	{"kk", Possible, "means", []string{
		"%&@getm @means", "лезвие", "?өлемін", "?өлсем", "%&@pills @take", "&қабат*|биік* терезесінде|терезеде|шатырында|балконында отырмын|тұрмын", "?өлейін", "?өмір сүре алмаймын", "?мен өлемін",
	}},
	{"kk", Crisis, "farewell", []string{
		"бұл менің соңғы", "соңғы хатым", "соңғы хабарламам", "мәңгі қош", "мәңгілікке қош", "мені енді көрмейсіңдер", "мені енді көрмейсіздер", "мен енді жоқпын",
		"ертең мен болмаймын", "мен енді болмаймын",
	}},
	{"kk", Possible, "farewell", []string{
		"қош болыңдар", "=қош бол", "=қош", "қош бол бәрің*", "мені кешіріңдер", "бәрі үшін кешір*", "бәрін кешір*", "бәріне кешірім",
		"кешіріңдер мені", "мені іздемеңдер|іздемеңіздер", "кешір мені", "=мені кешір", "анашым|анам|әкем|әкешім кешір", "қоштасқым", "қоштасамын", "қоштасайын", "бәріне|бәріңе|бәріңізге|барлығыңа|барлығына кешір*", "бәріне|бәріңе|бәріңізге|барлығыңа|барлығына қош !болыңыз|болыңыздар", "заттарымды тарат*|бер*|үлестір*", "балаларыма қарай*|қараңдар|қарап|қамқор", "анама қараңдар|қарай",
		"мені ұмытпаңдар", "мені ұмытыңдар", "кетемін мәңгі", "мен болмаған кезде|кейін", "қайғырмаңдар|жыламаңдар", "соңғы жазғаным|жазуым|хабарламам|хатым", "соңғы рет жаз*|хабарлас*|сөйлес*", "мәңгіге кетемін",
	}},
	{"kk", Possible, "hopeless", []string{
		"?шыдай алмаймын", "бұдан әрі шыдай", "өмірім азап*|тозақ*", "&айтыңдар|айтыңыз|жеткізіңдер анама|әкеме|балаларыма|күйеуіме|әйеліме жақсы көрем*", "?%секіремін", "ештеңенің маңызы жоқ", "жол|жолды көрмеймін", "не істейтінімнен қорқамын", "күтерім жоқ", "күтетін ештеңе жоқ", "қоштас*", "өмірімді жек көр*", "&қасына|жанына кеткім|барғым анам*|әкем*|ұлым*|қызым*", "әрі|ары қарай не үшін", "?өлсем де бәрібір", "ештеңе сезбеймін", "жай бар болып", "өмір сүріп жүрген жоқпын", "&пышақ*|ұстара* білег*|тамыр*|мойн*", "&машина*|көлік*|пойыз*|поезд* қағып|басып кетсе|өтсе", "сынып біттім", "жаным сынды", "азабымды|азапты бітір*|тоқтат*", "ештеңе|ешқашан жақсармай*|өзгермей*", "&жақсы бәріңді|бәріңізді|сендерді есте|кешір*|қош|ұмытпаңдар", "&шештім бүгін|бітеді|бітті", "күресуден|күресуге шаршадым|күшім", "күресуден шарша*", "шыдамым жоқ", "шыдамым қалмады", "(әрі|ары) қарай (шыдай|өмір сүре)",
		"шығар жол жоқ", "бәрін тастап кеткім келед*", "?өліп барамын", "шығатын жол жоқ", "шығар жол көрмей*", "шығар жолын таппай*", "үмітім жоқ", "үмітім үзілді", "үмітім қалмады",
		"үміт жоқ", "үмітсіз*", "үміт* қалмады|жоқ|үзілді|жоғалды", "күшім жетпей*", "ешкімді көргім келмей*", "ештеңенің мәні жоқ", "ешнәрсенің мәні жоқ", "ештеңенің қажеті жоқ", "бәрінің мәні жоқ", "еш мағынасы жоқ", "=мәні жоқ", "=мағынасы жоқ",
		"бәрі|барлығы|бәрінің|ештеңе мағынасыз*|мәнсіз*|бекер*|пайдасыз*", "бәрі не үшін", "бәрі бекер", "бәрі бос", "бәрі пайдасыз", "пайдасызбын", "түкке тұрмаймын", "түкке тұрмайтын", "керексізбін", "бәрінен шарша*", "бәрінен жалық*", "бәрінен без*",
		"бәрі бітті", "бәрі бітсе екен", "бәрі бітсін", "бәрі тоқтаса екен", "?бітсе екен", "ешкімге керек емеспін", "маған ешкім мұқтаж емес", "ешкімге қажет емеспін", "=түңілдім", "мен түңілдім", "болашағым жоқ", "бәрі қараңғы", "ешқандай мән|мағына жоқ", "мені ешкім жақсы көрмейді|сүймейді", "ешкім мені жақсы көрмейді|сүймейді", "ешкімге керегім жоқ",
		"ешкім керек етпейді", "артық адаммын", "артықпын", "өзімді жек көремін", "өзімді жек көрем", "өмірім бекер|мәнсіз|мағынасыз|қараңғы|тұйық|бітті|аяқталды|құрыды",
		"өмірім* мәні", "өмір мәнсіз", "өмірім тозақ", "тозақта өмір", "енді ештеңе", "ештеңе өзгермейді", "ештеңе көмектеспейді", "ештеңе қаламаймын",
		"ешнәрсе қаламаймын", "ештеңе істегім келмейді", "қараңғылық", "тұйыққа тірелдім", "дәрменсіз*",
		"&@fp пайдасыз*|керексіз*|түкке|жаманмын", "шаршадым бәрінен", "бәрі маған бәрібір", "маған енді бәрібір", "енді бәрібір", "қолымнан ештеңе келмейді",
		"не үшін өмір сүр*", "неге өмір сүріп", "не үшін тірі", "неге тірімін", "неге тумадым",
	}},
	{"kk", Help, "help", []string{
		"психолог көмег*", "^~психолог*", "^~психиатр*", "^~психотерап*", "психолог* керек|қажет|іздеймін|жазыл*|сөйлес*|көмег*", "маған психолог*", "~депрессия*", "~депрес*", "~мазасыз*", "уайымдап жүрмін", "уайымдаймын", "~уайым*", "~күйзел*",
		"~үрей*", "~дүрбелең*", "~паника*", "~стресс*", "жалғызбын", "жалғыз өзім", "маман көмег*", "маманның көмег*", "маман керек", "күшім жоқ", "~үнемі|әрдайым|күнде қорқ*", "жағдайым ауыр", "ішім пыс*", "іш пысу*", "~жалғыздық*", "жалғызсыра*", "жаным ауыр*|қиналады|қиналып", "шамам келмей*|жетпей*", "зауқым|құлқым|ынтам|қызығушылығым жоқ|қалмады|жоғалды", "сөйлесетін|сөйлесер ешкім|адам жоқ", "сөйлес* керек", "жағдайым нашар|жаман|қиын", "(ата анаға|ата аналарға|отбасына|маған|бізге) қолдау", "~&аутист*|аутизм* білмей*|шамам*|шаршадым|қиын", "&тіркелу|жарыс|төлем емес көмек", "жалғыз қалдым", "жалғыз сезін*", "шаршап біт*", "күшім қалмады", "әлім қалмады",
		"шыдамым таусыл*", "төзімім таусыл*", "қолдау керек", "қолдау қажет", "маған қолдау", "қолдау көрсет*", "кімнен қолдау", "қайда жүгінер*", "кімге жүгінер*",
		"қайдан көмек", "қайдан қолдау", "=маған жаман", "маған жаман", "өзімді жаман сезін*", "~жылай бер*", "сенім телефон*", "жылаймын", "жылап жүрмін",
		"жылап отырмын", "күнде жылаймын", "жылап шықтым", "жылағым келеді", "~жүйке*", "көңіл күйім жоқ|нашар|түсіп|болмай", "көңілім түсіп", "?маған ауыр",
		"?маған қиын", "ауыр болып тұр", "қиын болып тұр", "қиналып жүрмін", "қиналамын", "сөйлесетін адам", "ешкім мені түсінбейді", "біреумен сөйлес*",
		"сөйлескім келеді", "ақыл кеңес", "не істерімді білмей*", "не істеу керек екенін білмей*", "әбден шарша*", "қатты шаршадым", "моральдық шарша*",
		"&моральдық|психологиялық|эмоциялық|рухани шарша*|қиын|ауыр|қолдау|көмек|жүдеу", "~&аутизм*|аутист* қолдау|орталық|диагноз*|психолог*",
		"~&диагноз* аутизм*", "психологиялық көмек", "ұйқым қашты", "жаным ауырады", "жаным қиналады", "ешкім түсінбейді", "мені ешкім түсінбейді", "өзімді жоғалттым",
		"ашуланамын балама", "балама айқайлаймын", "жаман анамын", "жаман ана", "күйзелістемін", "күйзеліске түстім", "депрессиядамын", "стресстемін",
		"мазам жоқ", "мазам кетті", "үрейленемін", "дүрбелеңдеймін",
	}},
	{"kk", Help, "seek", []string{
		"қайда жүгінер*", "кімге жүгінер*", "кеңес беріңіз*", "ақыл кеңес", "қайдан көмек", "қайда барар*", "психолог* керек", "кеңес керек",
	}},
	{"kk", None, "signal", []string{
		"өлгім", "өлгің", "өлсем", "өлсе", "өлемін", "өлем", "өлдім", "өлу", "өлуге", "өліп", "өлердей", "өлім", "өлімді", "өлтір*", "шарша*", "жыла*", "жалғыз*", "қорқ*", "қош", "ауыр*", "мұңды", "мұңайып", "мұңаямын",
		"дәрі", "таблетка*", "арқан", "пышақ", "қан", "мазасыз*", "күйзел*", "стресс*",
	}},

	// --- Families of unseen phrasing (the second and third writers'
	// sets): means and the questions about them, plans and a date,
	// farewells with a final cue, burden, euphemisms of ending, hidden
	// self-harm, grief, sleeplessness and panic. By language.
	{"en", Crisis, "means", []string{
		"@pills lined|laid|counted|spread|sorted|set|ready", "counted|counting|lined|laid @pills", "%&@pills enough|lethal|fatal|deadly", "@pills (is|are|would be) too many", "%how many @pills (would it take|to die|is too many|is enough)", "lethal|fatal|deadly dose|amount",
		"%&what|which|how floor|height|high|storey|stories need|quick|enough|sure|survive|die|fatal|instant",
		"%&rope beam|neck|hook|noose", "%&rope garage|tree thinking|ready|night", "&wheel|driving|drive|steering turn*|swerv*|steer*|crash* truck|tree|oncoming|wall|pole|lorry|bus|barrier|bridge",
		"%&train|trains|tracks|rails|railway|metro|subway thinking|think|fastest|lie|lay|step|jump|front|under|stand", "&gas|oven|stove turned|left|on|breathing|sitting|closed", "&river|water|lake|sea|esil|ishim drown*|jump|sink|swept|current", "walk|walking into the river|water|lake|sea", "&car|engine|motor running|on garage", "drown myself", "want to drown",
		"@want jump out|off|from (the|a|my) window|floor|roof|balcony", "&window|roof|balcony|ledge floor|storey|stories jump|down|edge|looking down", "&razor|blade|blades wrist*|arm*|cut|ready|holding", "drink|drank|drinking vinegar|bleach|poison", "&poison bought|ready|drink|drank|take|took",
	}},
	{"en", Possible, "means", []string{
		"?so (its|it is|it would be|it will be) (quick|painless|instant|over|fast)", "?would it take", "asking for a friend how", "%&how many too many",
	}},
	{"en", Crisis, "suicidal", []string{
		"have|got|made|set a plan and a|the date|time|day|method", "tonight is the night", "?tonight|today is the day !of|for|we|the", "@fp made my decision", "my mind is made up", "its decided", "it is decided", "i decided to go|end|leave", "if i (dont|do not) answer|reply (tomorrow|tonight)", "%(wont|will not|not going to|not gonna) be around (much longer|for long|anymore|after)",
		"imagining|imagine|picturing|picture|planning my (own|) funeral", "my own funeral", "end (things|it|everything) (for good|forever|once and for all)", "end it all",
	}},
	{"en", Crisis, "farewell", []string{
		"@neg need (them|it|these|this|those|anything|any of this|any of it|it anymore) where (im|i am|ill be) going", "where im going i wont need", "&last message|text|words dog|cat|pet|pets|gave|given|giving|rehomed|neighbour|neighbor", "&letters|letter|note|notes wrote|written|left mum|mom|dad|brother|sister|family|sorry|decided|goodbye",
	}},
	{"en", Possible, "farewell", []string{
		"(it was|was|its been) nice knowing (you|u|ya|everyone|all)", "prob|probably|maybe my last", "gave|given|giving|rehomed|rehoming my dog|cat|pet|pets|things|stuff|medals|shoes to", "giving away my", "gave away my", "made peace with it|dying|death|leaving|this|everything", "ready to go (now|forever)", "just wanted to tell someone before", "tell (the team|everyone|them|my family) (they were|i was|that) (nice|good|kind)",
	}},
	{"en", Crisis, "burden", []string{
		"world|everyone|everybody|family|they|theyd|life|people (would|wud|will|d) be @better without me|u|you", "&save|money|cheaper|lighter without me", "a weight on|for (my|the|everyone|them)", "being a weight", "(world|everyone|family) (would|wud) be @better",
	}},
	{"en", Crisis, "self_harm", []string{
		"what i do to my arms|wrists|legs|thighs|body|skin", "hide|hiding my scars|cuts|arms|wrists", "&sleeves scars|cuts|blood|wrists", "&sleeves hide|hiding arms|wrists|cuts",
	}},
	{"en", Possible, "self_harm", []string{
		"&scars|cuts|marks hide|hiding|cover|covering",
	}},
	{"en", Possible, "hopeless", []string{
		"?(exhausted|tired|sick|worn out) (from|of) (fighting|struggling|trying|everything|it all|surviving)", "nothing going|gonna get better", "nothing going|gonna change", "never going|gonna get better", "wont ever get better", "it will never get better", "feel like disappearing|vanishing", "want to disappear for", "who do (u|you) (even|) call when|if", "when u feel like", "if you feel like (nobody|no one|the world)",
	}},
	{"en", Help, "help", []string{
		"struggling to cope", "struggling since", "~&diagnos* struggl*|cope|coping|since|accept", "vent to|about", "(need|want|can i|could i|just|to) vent", "venting", "~heart (pounding|racing|racing) every|when|all", "~chest tight*", "~(is|that|this|it) (that|this|it|) panic", "~panic symptoms", "mind racing", "~&sleepless|awake|insomnia worry|worried|worrying|night*|thinking", "?~&grief|grieving|bereave*|passed|died dad|mom|mum|father|mother|grandma|grandpa|grandmother|grandfather|friend|husband|wife|son|daughter|cousin|uncle|aunt|brother|sister|cope|talk|help", "(my|our) (dad|mom|mum|father|mother|grandma|grandpa|brother|sister|husband|wife) (died|passed away|passed)", "talk to a (real|live) person|human", "talk to a human|person", "support group* for parents|families|moms", "~mental health advice|tips",
	}},

	{"ru", Crisis, "suicidal", []string{
		"решение|решила|решил|решилась|решился уйти|умереть|покончить|закончить !с|из|со|в|на|домой|пораньше|раньше|от|к", "значит я решилась|решился|решила|решил", "&решилась|решился простите|прощайте|прости", "&не выйду|отвечу|напишу значит решил*|решилась|решился|меня|прощайте|простите",
		"закончи*|заканчива*|кончать|кончаю|прекрати* с жизнью", "пора заканчивать с жизнью|этой|всем", "не нужна|нужно жизнь|жить", "жизнь|жить не нужна|нужно", "(думаю|думала|думал|решаю) как (это сделать|сделать это|это сделаю|уйти|умереть)", "сделать|умереть|уйти|покончить не больно", "&сделать|умереть|уйти|покончить безболезненно|наверняка",
		"не хочу|хочется дожить|доживать", "не уверена|уверен что доживу", "не доживу до !конца|старта|финиша", "уснуть|заснуть и не проснуться", "непроснут*",
	}},
	{"ru", Crisis, "means", []string{
		"&высот*|этаж*|крыш* нужн*|точно|наверняка|насмерть|выжить|разбиться", "&газ включил*|открыл*|открою|включу|надышат* сижу|закрыл*|окна|дышу|кухн*", "&рельс*|поезд*|электричк*|метро лечь|лягу|прыгну|шагнуть|броситься|брошусь|кинусь",
		"уйти|ушла|ушел|уйду|броситься|брошусь в воду|реку|ишим|есиль|озеро !купаться", "пусть течение унес*|заберет", "&утону|утонуть|утопиться|утоплюсь вод*|реку|реке|ишим*|есил*|мост*", "&бритв*|лезви* вены|руки|запясть*|держу|готов*|приготовил*", "выпила|выпил|выпью|выпить уксус*|яд|отбеливатель|отраву", "сколько таблеток|парацетамола|снотворного (нужно|надо|хватит) (чтобы|чтоб)", "&сколько @pills смертельн*|умереть|насмерть|летальн*", "%гуглил*|искал*|загуглил* сколько @pills", "смертельн* доз*",
		"&сбил*|переехал*|задавил* машина|поезд|автобус|грузовик бы|чтобы|чтоб|мечтаю|хочу",
		"&врезат*|врежусь|въехат*|въеду|разбит*|разобьюсь руль|машин*|грузовик*|столб*|встречк*", "&веревк*|петл* шею|балк*|крюк*", "&веревк*|петл* гараж* думаю|готов*|приготовил*|ночь*",
	}},
	{"ru", Possible, "means", []string{
		"%?чтобы|чтоб (точно|наверняка|не больно) !успеть|добежать|дойти|прийти|найти", "%какая|какой высота|этаж нужна|нужен|нужно", "?сколько нужно чтобы (точно|наверняка)",
	}},
	{"ru", Crisis, "farewell", []string{
		"(завтра|скоро|сегодня|уже) меня (уже|) не (будет|станет) !в|на|у|дома|с|до|после|утром|вечером|днем|на связи", "меня уже не будет !в|на|у|дома|с|до|после", "последн* что (мне|меня) (нравил*|радовал*|держал*)", "&раздал*|отдал*|раздаю|отдаю|пристроил* вещи кота|кошку|собаку|пса|питомц*", "&письм*|записк* маме|папе|прощальн* простите|прости|решил*|написал*",
	}},
	{"ru", Possible, "farewell", []string{
		"раздал*|раздаю|отдал*|отдаю|пристроил* вещи|кота|кошку|собаку|пса|питомц*", "так будет правильно", "=я решилась", "=я решился", "прощайте все", "написала|написал письмо|письма маме|папе|родным",
	}},
	{"ru", Crisis, "burden", []string{
		"никто не хватится|хватятся|спохватится", "&если я умру|исчезну|умерла никто|никому|всем|хватится", "я лишняя|лишний (в|здесь|на|этом)", "всем будет @better",
	}},
	{"ru", Crisis, "self_harm", []string{
		"&рукав* кров*|порез*|шрам*", "&порезал*|резал*|режу|порезы никому|скрываю|прячу|рукав*|шрам*", "прячу порезы|шрамы|руки", "что я делаю с руками|собой",
	}},
	{"ru", Possible, "hopeless", []string{
		"какой смысл всем|всего|жизни|жить|стараться|продолжать|этом", "в чем смысл (жизни|жить|всего)", "я лишняя", "я лишний", "пора заканчивать",
	}},
	{"ru", Help, "help", []string{
		"из за переживаний|нервов|стресса|тревоги", "~переживани*", "сплю по (два|три|часу|2|3)", "у меня па", "=па", "па опять|снова|началась|началось", "?сердце выпрыгива*|колотит*|бешено|стучит", "не могу дышать", "?задыхаюсь", "не стало бабушк*|мам*|пап*|отца|мужа|брата|сестры|дедушк*|сына|дочки|дочери", "?~&умерла|умер|погибла|погиб бабушк*|мам*|пап*|отец|отца|муж*|брат*|сестр*|дедушк*|сын*|доч*|подруг*|друг", "не могу прийти в себя", "с кем поговорить", "~горе", "~утрат*",
		"не сплю (ночь|ночи|ночами|сутки|суток)", "не сплю (вторую|третью|четвертую|пятую) ночь", "накручиваю себя", "накручиваю", "мысли не дают (спать|уснуть)", "подскажите психолог*", "закрылась|закрылся в себе", "хочу|нужно|надо выговориться", "поговорить с живым человеком", "~групп* для родител*", "~психическ* здоров*", "~ментальн* здоров*",
	}},

	{"kk", Crisis, "wish_to_die", []string{
		"өмір|өмірім|тіршілік керек|қажет емес", "өмір* керегі|қажеті жоқ", "ажал* күт*|келсе|тезірек|жетсе", "өлім* тезірек|келсе екен", "&өмірден|дүниеден кет*|кеткім|қалғым", "&өмір* мәнін|мағынасын көрмей*|таппай*", "ұйықтап оянбай|оянбасам", "ұйықтап оянбай қалсам",
	}},
	{"kk", Crisis, "farewell", []string{
		"мені (енді|ертең|) көрмейсің*|көрмейсіз*", "&ертең|енді мені таппайды|таппайсың*|таппайсыз*|көрмейсің*", "&хат жаздым|қалдырдым кешір*|қош|ертең", "&бәрі бітеді|аяқталады қош", "%&бүгін|түнде бәрі бітеді|аяқталады", "&арқан* дайын|мойн*|кешір*|асыл*",
	}},
	{"kk", Crisis, "means", []string{
		"пойыз*|пойез*|поезд*|электричка* астына", "&рельс* жат*|түс*|секір*|отырмын|тұрмын|пойыз*|поезд*", "&шатыр*|қабат*|көпір*|балкон* төмен|секір*", "&суға|өзенге|есілге|ертіске|өзен* батқым|батып|кеткім|кетіп|секір*|түскім|ағып", "&машина*|көлік*|руль* бағана*|қабырға*|ағаш*|жүк* соғ*", "&ұстара*|лезвие* білег*|тамыр*|дайын|ұстап", "&қанша|неше дәрі*|таблетка* жеткілікті|өлу*|өлем*|көп|болады", "сірке* су* іш*",
	}},
	{"kk", Crisis, "suicidal", []string{
		"&ешкімге керек емес кетіп|кеткің|кеткім|қалғың|қалғым", "&бәрін тоқтатқым|бітіргім өмір*|мән*|мағына*",
	}},
	{"kk", Possible, "hopeless", []string{
		"кетіп қалғым|қалғың келед*|келсе", "бәрін тоқтатқым|бітіргім келед*", "мағынасы|мәні жоқ бәрінің|ештеңенің|өмірдің|мұның", "ешнәрсе|ештеңе өзгермей*|жақсармай*", "маған|енді бәрі бір", "бәрі бір маған", "амалым таусылды|қалмады|жоқ", "мен жоқ болсам",
	}},
	{"kk", Possible, "farewell", []string{
		"қош болыңыздар бәріңіз|барлығыңыз|бәріңізге", "бәріңіз қош болыңыздар", "қош болыңдар бәрің*", "анама хат",
	}},
	{"kk", Help, "help", []string{
		"диагноз* қабылдай алмай*", "~&диагноз* қабылда*|қиын|түсіне|көтере", "айтатын|сөйлесетін|бөлісетін адам|ешкім жоқ", "ойымды айтатын", "?дем|тыныс ала алмай*", "~қорқыныш*", "аналар* арналған топ*", "~&аутист*|аутизм* ата|аналар*|топ*", "қолдау топ*", "~қайғы*", "?&қайтыс бол* алмай*|ауыр|қиын|қайғы*", "психикалық денсаулық*", "~психикалық", "ұйықтай алмай*", "ұйқым жоқ", "жүрегім (қатты|) соғ*", "біреуге айтқым|ақтарылғым", "тірі адаммен сөйлес*",
	}},

	// Round 2 (blind21): the same families in other words.
	{"en", Crisis, "burden", []string{
		"peace|relief|relieved|glad|happy|happier|freedom|free|rest|better|easier if i (wasnt|werent|was gone|were gone|died|disappeared|was dead|wasnt around|wasnt here)",
	}},
	{"en", Crisis, "wish_to_die", []string{
		"hoping|praying|wishing|hope|pray|wish i dont|never|wont|didnt wake",
	}},
	{"en", Crisis, "self_harm", []string{
		"&cuts|scars|cutting|burns hide|hiding|cover|covered|covering|sleeves|nobody|noone", "so nobody|noone|no one sees|can see my arms|wrists|cuts|scars|legs",
	}},
	{"en", Crisis, "means", []string{
		"(would|wud|will) (know|think) it was on purpose", "look|looks|looked like an accident", "%&step|walk|stepping|walking curb|traffic|road bus|truck|car|lorry", "(to|so) (you|i|u) (dont|wont|do not|will not) survive", "dont|wont survive the fall|jump|drop", "&razor|blade|blades out|desk|again|table|bed",
	}},
	{"en", Possible, "suicidal", []string{
		"picked|chose|chosen|set the day !for|to|of|off", "thinking about walking in|into",
	}},
	{"en", Possible, "farewell", []string{
		"take care of yourselves|yourself|each other|everyone !at|on|in|during", "thank* for everything guys|everyone|all",
	}},
	{"en", Possible, "hopeless", []string{
		"ever|never going|gonna change|improve|better",
	}},
	{"en", Help, "help", []string{
		"(real|live|actual) (person|human) to talk", "talk to a real|live|actual person|human", "cant breathe when|anxious|panic", "hands shake|shaking",
	}},
	{"ru", Crisis, "suicidal", []string{
		"%&все решила|решил|решено|решилась|решился ночью|сегодня|простите|прощайте",
	}},
	{"ru", Possible, "suicidal", []string{
		"=я все решила", "=я все решил", "=все решено",
	}},
	{"ru", Crisis, "farewell", []string{
		"&раздаю|раздала|раздал|отдаю|отдала|отдал больше понадоб*|пригод*|нужн*",
	}},
	{"ru", Possible, "farewell", []string{
		"раздаю|раздала|раздал свои|все",
	}},
	{"ru", Crisis, "wish_to_die", []string{
		"(больше|никогда|больше никогда) не (открывать|открыть|открою) глаза", "&заснуть|уснуть|засыпаю|уснула никогда|больше открывать|открыть|открою",
	}},
	{"ru", Crisis, "self_harm", []string{
		"&рукав* никто|прячу|прятать|скрыть|скрываю|шрам*|порез*", "чтобы|чтоб никто не видел|видели руки|шрамы|порезы|запястья",
	}},
	// giving: things one will not need, said of oneself; not taken back
	// by the things' names (медали, кроссовки are errand words).
	{"ru", Possible, "giving", []string{
		"мне они|вещи больше не понадоб*|пригод*|нужны", "они мне больше не понадоб*|пригод*",
	}},
	{"ru", Possible, "hopeless", []string{
		"какой смысл (что|делать|вообще|дальше|мне|жить)", "ничего не меняется", "все без толку",
	}},
	{"ru", Help, "help", []string{
		"как с этим жить", "?не могу уснуть|заснуть|спать", "прокручиваю мысли|в голове", "мысли крутятся",
	}},
	{"kk", Crisis, "wish_to_die", []string{
		"оянбай қаламын|қалсам|қалса|қалғым",
	}},
	{"kk", Crisis, "means", []string{
		"&қанша|неше дәрі*|таблетка* оянбай*|оянбас*|ішсем|ішу*",
	}},
	{"kk", Crisis, "self_harm", []string{
		"&жеңім*|жасыр* тіл*|кес*|тыртық*", "@shobj тағы|қайтадан кес*|тіл*",
	}},
	{"kk", Possible, "hopeless", []string{
		"ештеңенің|ешнәрсенің мәні|мағынасы қалмады|жоқ",
	}},
	{"kk", Help, "help", []string{
		"өзіме келе алмай*", "есімді жия алмай*",
	}},

	// Round 3 (blind22): the same families in still other words.
	{"en", Crisis, "means", []string{
		"%&@pills vodka|alcohol|whiskey|booze|wine", "(legs|feet|leg|foot) (over|off|dangling) railing|edge|ledge|side", "climbed over the railing|fence|edge", "%looked|googled|searched|searching how much|many @pills", "how much|many @pills it|would|does take", "%(could|would) just not turn|brake|steer|swerve", "a noose in my|the closet|room|garage|wardrobe|car",
	}},
	{"en", Crisis, "suicidal", []string{
		"?&everything|all planned wait|waiting",
	}},
	{"en", Crisis, "wish_to_die", []string{
		"fine|ok|okay|happy|glad|mind|care if (a|the) (car|bus|truck|train) (hit|hits|killed|ran over) me", "asleep forever|permanently",
	}},
	{"en", Crisis, "farewell", []string{
		"&tell love fault",
	}},
	{"en", Possible, "farewell", []string{
		"tell my brother|sister|friends|everyone|dad|mom|mum (i love|that i love)", "(ill|i will|gonna) miss you all|everyone|guys", "not your|his|her|their fault !if|that|the",
	}},
	{"en", Help, "help", []string{
		"?lost my dad|mom|mum|father|mother|brother|sister|husband|wife|son|daughter|grandma|grandpa|grandmother|grandfather|friend", "hitting me (really|so) hard",
	}},
	{"ru", Crisis, "means", []string{
		"насобирал*|накопил*|скопил* @pills", "%&@pills хватит|достаточно", "%сколько уксус*|яд*|отрав*|хлорк*|отбеливател*|снотворн*|таблет*|парацетамол* нужно|надо|выпить",
	}},
	{"ru", Crisis, "suicidal", []string{
		"?&все спланировал*|продумал*|решено осталось|дождаться|ждать",
	}},
	{"ru", Crisis, "farewell", []string{
		"&прости|простите люблю вина|виноват*", "&записк*|письм* прощайте|простите", "&не ищите записк*|письм*",
	}},
	{"ru", Possible, "farewell", []string{
		"&прости|простите люблю", "не твоя|ваша вина", "=не ищите", "не ищите меня", "были добры|хорошими|добрыми ко мне",
	}},
	{"kk", Crisis, "suicidal", []string{
		"?&жоспарладым|дайындадым бітеді|бітіремін|аяқталады",
	}},
	{"kk", Crisis, "farewell", []string{
		"&кешір* көрем* кінә*", "&хат іздемеңдер|іздемеңіздер",
	}},
	{"kk", Possible, "farewell", []string{
		"жақсы адамдарсыңдар|адамсыңдар", "сенің кінәң емес",
	}},

	// Round 4 (blind23): translit, Kazakh Latin, second person.
	{"en", Crisis, "wish_to_die", []string{
		"what if i (just|) (didnt|wasnt|did not|was not) (exist|here|alive|around)", "(didnt|dont|did not|do not|wouldnt) exist anymore", "sleep and (stay|remain) asleep", "stay asleep forever",
	}},
	{"en", Possible, "means", []string{
		"%&bridge|roof|rooftop|ledge|tracks|railway think|thinking|tempt*", "%think|thinking about stopping|jumping|stepping (there|off|on it)",
	}},
	{"en", Possible, "farewell", []string{
		"&sorry|goodbye|bye|forgive|love end (for me|of me)", "=so long", "so long everyone|everybody|all|guys|world",
	}},
	{"ru", Possible, "wish_to_die", []string{
		"уйти и не возвращаться|вернуться !на|в|во|домой|к|с|из|обратно", "&плохо|тошно|невыносимо|тяжело перестать быть",
	}},
	{"kk", Crisis, "farewell", []string{
		"&айтыңдар|айтыңыздар|жеткізіңдер мені кешірсін",
	}},
	{"kk", Possible, "farewell", []string{
		"мені кешірсін", "кешірсін мені",
	}},

	// Round 5 (blind24).
	{"en", Crisis, "wish_to_die", []string{
		"stop (being alive|existing|living|being here)", "&peaceful|peace|relief|easier be gone|dead",
	}},
	{"en", Crisis, "means", []string{
		"%@pills in my hand|hands", "%(whole|entire) bottle of (my|) @pills", "%&note|letter written|wrote|ready courage|nerve|guts",
	}},
	{"en", Crisis, "suicidal", []string{
		"(know|decided|planned|figured) (exactly|) how and when !to|should|is|does|do|the|we",
	}},
	{"en", Possible, "means", []string{
		"%&tallest|highest building|bridge|tower roof|onto|top|jump", "%(you|u|i) (can|could) get (onto|on|up to|up on) the roof|rooftop", "%(just|) need the courage|nerve|guts (now|to do it)",
	}},
	{"en", Possible, "giving", []string{
		"told (him|her|them|my|everyone|everybody) (i|that i) (wont|will not|dont|do not) need (them|it|these|those|anything|any of it)",
	}},
	{"en", Possible, "hopeless", []string{
		"waiting for (it|everything|this|life) (all|) to (end|be over)",
	}},
	{"en", Help, "help", []string{
		"(dont|do not) know how to deal with (it|this|the loss|grief)",
	}},
	{"ru", Crisis, "means", []string{
		"держу @pills", "в руках|руке @pills",
	}},
	{"ru", Crisis, "suicidal", []string{
		"%&все закончу|кончу|прекращу сегодня|ночью|записк*|завтра", "знаю|решила|решил (уже|) как и когда",
	}},
	{"ru", Possible, "suicidal", []string{
		"%сегодня|ночью все закончу|кончу|прекращу",
	}},
	{"kk", Crisis, "means", []string{
		"&@quant @pills қолыма|қолымда|алдым", "&@pills қолыма|қолымда",
	}},
	{"kk", Crisis, "suicidal", []string{
		"&қалай өлетін*|өлтір*|өлем* шеш*|біле*|ойла*",
	}},
	{"kk", Crisis, "farewell", []string{
		"&мысығ*|итім*|итімді|күшіг*|заттар* бердім|тараттым|тапсырдым керек|қажет",
	}},
	{"kk", Help, "help", []string{
		"диагноз* көндіг*|көне", "көндіге алмай*", "кіммен сөйлес*",
	}},
	// Round 6 (the fourth writer's rows): starving and hitting oneself,
	// voices that order death, bequests, a place or a means at hand, a
	// river or a gun, slang of ending, a means asked about for "a friend",
	// waking never, and help for postpartum, panic, diagnosis shock and a
	// person to talk to.
	{"en", Crisis, "self_harm", []string{
		"&havent|stopped|not eaten|eating|eat purpose|deserve|punish*",
	}},
	{"en", Crisis, "suicidal", []string{
		"&head|voice|voices|thoughts says|say|tell|telling|tells end|die|kill", "?just end it already|now",
	}},
	{"en", Crisis, "farewell", []string{
		"make sure my (little|older|big|baby|) (sister|brother|mom|mum|dad|friend|son|daughter|kids) gets|get|has|keeps my",
	}},
	{"en", Crisis, "means", []string{
		"%&roof|rooftop|ledge rn|windy", "&tied|tying rope|noose", "drive|driving|swerve|crash into oncoming|traffic", "&gun|guns|pistol|rifle know|where|keeps",
	}},
	{"en", Possible, "farewell", []string{
		"might|may|could be my last message|text|post",
	}},
	{"en", Help, "help", []string{
		"&just|recently diagnosed|told autistic|autism|asd", "my (own|) anxiety|depression|panic|stress (is|has been|attacks|keeps)",
	}},
	{"ru", Crisis, "farewell", []string{
		"похороните меня", "&собаку|кошку|кота отдайте|заберите похорон*|если",
	}},
	{"ru", Crisis, "means", []string{
		"&ишим|иртыш|реку|воду ночью|умею|утоп*", "&ружье|пистолет|оружие|сейф* знаю|думаю", "&безболезненн* способ*",
	}},
	{"ru", Crisis, "slang", []string{
		"выпиливаюсь", "выпилюсь", "выпилиться", "выпилилась", "выпилился", "самовыпил*", "роскомнадзор*",
	}},
	{"ru", Possible, "hopeless", []string{
		"?@want ищезнут*", "смысла нет ни в чем", "ни в чем нет смысла", "кажется|будто (что|) меня (просто|) нет !в|во|на|среди|у|списке|списках",
	}},
	{"ru", Help, "help", []string{
		"&родов|послеродов* сама|плач*|депресс*|помоч*", "сама|сам не своя|свой", "паничк*",
	}},
	{"kk", Crisis, "means", []string{
		"&газ* ашып|аштым|ашам ұйықта*|өл*|тұншығ*", "&қанша дәрі оянбай|oianbai|өл*",
	}},
	{"kk", Crisis, "wish_to_die", []string{
		"оянбай қалсам", "оянбай қалғым", "oianbai qalsam|qalğym", "&өмір* доғар*", "&өмір* біржола тоқтат*|аяқта*",
	}},
	{"kk", Crisis, "self_harm", []string{
		"&басымды ұра*|ұрып|соғ*", "&өзімді жазала*",
	}},
	{"kk", Crisis, "farewell", []string{
		"&кеткен|өлген соң|кейін мысығ*|итім*|заттар*|беріңдер*", "&телефон*|киім*|заттар*|кітап* тарат* керек|қажет", "&бітірейік|бітірсек ой|қорқамын",
	}},
	{"kk", Possible, "hopeless", []string{
		"&мағына* жоқ тырыс*|өмір*", "ештеңе қызық емес", "ештеңе қызықтырмайды",
	}},
	{"kk", Help, "help", []string{
		"~терапия*", "адаммен сөйлес*", "ішім ауыр", "&инклюзив* сынып*|сыныб*|мектеп*|балабақша*",
	}},
}

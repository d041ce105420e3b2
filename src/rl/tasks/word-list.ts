// The word-game's word lists, made for this project: common English words in lowercase a-z, sorted, no proper
// nouns, no repeats (word-game.test.ts checks all of it). Edit freely; changing a list changes the task's
// training and eval sets.

function words(text: string): readonly string[] {
  return Object.freeze(text.trim().split(/\s+/));
}

/** 474 four-letter words. */
export const FOUR_LETTER_WORDS = words(`
able acid aged also area army away baby back ball band bank base bath bear beat been beer bell belt best
bill bird blow blue boat body bond bone book boom born boss both bowl bulk burn bush busy cake call calm
came camp card care case cash cast cell chat chip city club coal coat code cold come cook cool cope copy
core cost crew crop dark data date dawn dead deal dear debt deep deny desk diet disk dock does done door
dose down draw drew drop dual dust duty each earn ease east easy edge else even ever evil exit face fact
fail fair fall farm fast fate fear feed feel feet fell felt file fill film find fine fire firm fish five
flat flow food foot form fort four free from fuel full fund gain game gate gave gear gene gift girl give
glad goal goes gold golf gone good gray grew grow gulf hair half hall hand hang hard harm hate have head
hear heat held help here hero high hill hire hold hole holy home hope host hour huge hung hunt hurt idea
inch into iron item join jump jury just keen keep kept kick kind king knee knew know lack lady laid lake
land lane last late lead left less life lift like line link list live load loan lock logo long look lord
lose loss lost love luck made mail main make male many mark mass meal mean meat meet menu mere mile milk
mill mind mine miss mode mood moon more most move much must name navy near neck need news next nice nine
none nose note once only onto open oral over pace pack page paid pain pair palm park part pass past path
peak pick pink pipe plan play plot plug plus poll pool poor port post pull pure push race rail rain rank
rare rate read real rear rely rent rest rice rich ride ring rise risk road rock role roll roof room root
rose rule rush safe said sake sale salt same sand save seat seed seek seem seen self sell send sent ship
shop shot show shut sick side sign site size skin slip slow snow soft soil sold sole some song soon sort
soul spot star stay step stop such suit sure take tale talk tall tank tape task team tell tend term test
text than that them then they thin this thus till time tiny told toll tone tool tour town tree trip true
tune turn twin type unit upon used user vary vast very vice view vote wage wait wake walk wall want ward
warm wash wave weak wear week well went were west what when whom wide wife wild will wind wine wing wire
wise wish with wood word wore work yard year your zero zone
`);

/** 475 five-letter words. */
export const FIVE_LETTER_WORDS = words(`
about above abuse actor acute admit adopt adult after again agent agree ahead alarm album alert alike alive
allow alone along alter among anger angle angry apart apple apply arena argue arise array aside asset audio
audit avoid award aware badly baker basic beach began begin being below bench birth black blade blame blank
blind block blood board boost booth bound brain brand bread break breed brief bring broad broke brown build
built buyer cabin cable carry catch cause chain chair chart chase cheap check chest chief child chose civil
claim class clean clear click climb clock close cloud coach coast could count court cover craft crash cream
crime cross crowd crown curve cycle daily dance dealt death delay depth doing doubt dozen draft drama drawn
dream dress drink drive drove dying eager early earth eight elite empty enemy enjoy enter entry equal error
event every exact exist extra faith false fault fiber field fifth fifty fight final first fixed flash fleet
floor fluid focus force forth forty forum found frame frank fraud fresh front fruit fully funny giant given
glass globe going grace grade grand grant grass great green gross group grown guard guess guest guide happy
heart heavy hence horse hotel house human ideal image index inner input issue joint judge known label large
laser later laugh layer learn lease least leave legal level light limit local logic loose lower lucky lunch
major maker march match maybe mayor meant media metal might minor minus mixed model money month moral motor
mount mouse mouth movie music never newly night noise north noted novel nurse occur ocean offer often order
other ought outer owner paint panel paper party peace phase phone photo piece pilot pitch place plain plane
plant plate point pound power press price pride prime print prior prize proof proud prove queen quick quiet
quite radio raise range rapid ratio reach ready refer relax reply right river rough round route royal rural
scale scene scope score sense serve seven shall shape share sharp sheet shelf shell shift shirt shock shoot
short shown sight since sixth sixty skill sleep slide small smart smile smoke solid solve sorry sound south
space spare speak speed spend spent split spoke sport staff stage stake stand start state steam steel stick
still stock stone stood store storm story strip stuck study stuff style sugar suite super sweet table taken
taste teach teeth thank theft their theme there these thick thing think third those three threw throw tight
tired title today topic total touch tough tower track trade train treat trend trial tried truck truly trust
truth twice uncle under union unity until upper upset urban usage usual valid value video virus visit vital
voice waste watch water wheel where which while white whole whose woman world worry worse worst worth would
wound write wrong wrote yield young youth
`);
